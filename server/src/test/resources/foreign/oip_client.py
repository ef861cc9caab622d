"""A client of the Open Inference Protocol that shares no code with the server: Python grpcio with messages that
protoc generated from the server's .proto files, default channel settings. It does what tritonclient does on the
wire (BYTES tensors as 4-byte little-endian lengths and bytes in raw_input_contents; outputs read from
raw_output_contents by their position in outputs) and checks every answer against ncf.v1 on the same server.
Usage: oip_client.py HOST:PORT GENERATED_DIR; prints one line per check and exits 1 if any failed."""
import struct
import sys

sys.path.insert(0, sys.argv[2])
import grpc  # noqa: E402
from inference import model_config_pb2 as triton  # noqa: E402
from inference import open_inference_pb2 as oip  # noqa: E402
from ncf.v1 import recommender_pb2 as v1  # noqa: E402

channel = grpc.insecure_channel(sys.argv[1])
failures = []


def call(service, method, request, response_type):
    return channel.unary_unary("/%s/%s" % (service, method), request_serializer=type(request).SerializeToString,
                               response_deserializer=response_type.FromString)(request, timeout=30)


def infer(request):
    return call("inference.GRPCInferenceService", "ModelInfer", request, oip.ModelInferResponse)


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)))
    if not ok:
        failures.append(name)


def raw_bytes(values):
    return b"".join(struct.pack("<I", len(v.encode())) + v.encode() for v in values)


def raw_output(response, name):
    """As tritonclient's as_numpy: the raw content at the position of the named output."""
    position = [o.name for o in response.outputs].index(name)
    data = response.raw_output_contents[position]
    output = response.outputs[position]
    if output.datatype == "FP32":
        return list(struct.unpack("<%df" % (len(data) // 4), data))
    values, at = [], 0
    while at < len(data):
        (n,) = struct.unpack_from("<I", data, at)
        values.append(data[at + 4:at + 4 + n].decode())
        at += 4 + n
    return values


def f32(values):
    """Floats as the server's float32 values (Python's floats are doubles)."""
    return list(struct.unpack("<%df" % len(values), struct.pack("<%df" % len(values), *values)))


def tensor(name, datatype, shape, **contents):
    t = oip.ModelInferRequest.InferInputTensor(name=name, datatype=datatype, shape=shape)
    if contents:
        t.contents.CopyFrom(oip.InferTensorContents(**contents))
    return t


def status_of(request):
    try:
        infer(request)
        return grpc.StatusCode.OK
    except grpc.RpcError as e:
        return e.code()


empty = oip.ServerLiveRequest()
check("ServerLive", call("inference.GRPCInferenceService", "ServerLive", empty, oip.ServerLiveResponse).live)
check("ServerReady", call("inference.GRPCInferenceService", "ServerReady", oip.ServerReadyRequest(),
                          oip.ServerReadyResponse).ready)
for model in ("demo", "demo.topk"):
    ready = call("inference.GRPCInferenceService", "ModelReady", oip.ModelReadyRequest(name=model),
                 oip.ModelReadyResponse)
    check("ModelReady " + model, ready.ready)

meta = call("inference.GRPCInferenceService", "ModelMetadata", oip.ModelMetadataRequest(name="demo"),
            oip.ModelMetadataResponse)
described = [(t.name, t.datatype, list(t.shape)) for t in list(meta.inputs) + list(meta.outputs)]
check("ModelMetadata demo", described == [("user", "BYTES", [-1]), ("item", "BYTES", [-1]),
                                          ("score", "FP32", [-1]), ("logit", "FP32", [-1])], described)
meta = call("inference.GRPCInferenceService", "ModelMetadata", oip.ModelMetadataRequest(name="demo.topk"),
            oip.ModelMetadataResponse)
described = [(t.name, t.datatype, list(t.shape)) for t in list(meta.inputs) + list(meta.outputs)]
check("ModelMetadata demo.topk", described == [("user", "BYTES", [-1]), ("k", "INT32", [1]),
                                               ("items", "BYTES", [-1, -1]), ("scores", "FP32", [-1, -1])],
      described)

# Triton's model configuration extension, read with the messages generated from the server's model_config.proto
config = call("inference.GRPCInferenceService", "ModelConfig", triton.ModelConfigRequest(name="demo.topk"),
              triton.ModelConfigResponse).config
described = [(t.name, triton.DataType.Name(t.data_type), list(t.dims), t.optional) for t in config.input]
described += [(t.name, triton.DataType.Name(t.data_type), list(t.dims)) for t in config.output]
check("ModelConfig demo.topk", config.name == "demo.topk" and config.max_batch_size == 0 and described == [
    ("user", "TYPE_STRING", [-1], False), ("k", "TYPE_INT32", [1], True), ("items", "TYPE_STRING", [-1, -1]),
    ("scores", "TYPE_FP32", [-1, -1])], (config.name, config.max_batch_size, described))
try:
    call("inference.GRPCInferenceService", "ModelConfig", triton.ModelConfigRequest(name="nope"),
         triton.ModelConfigResponse)
    check("ModelConfig of an unknown model is NOT_FOUND", False, "answered")
except grpc.RpcError as e:
    check("ModelConfig of an unknown model is NOT_FOUND", e.code() == grpc.StatusCode.NOT_FOUND, e.code())

users = ["u0", "u9", "u39", "u9", "u21", "u2"]
items = ["i5", "i0", "i23", "i17", "i5", "i8"]
expected = call("ncf.v1.Recommender", "Score", v1.ScoreRequest(users=users, items=items), v1.ScoreResponse)
typed = infer(oip.ModelInferRequest(model_name="demo", id="py-1", inputs=[
    tensor("user", "BYTES", [len(users)], bytes_contents=[u.encode() for u in users]),
    tensor("item", "BYTES", [len(items)], bytes_contents=[i.encode() for i in items])]))
check("typed ModelInfer scores equal ncf.v1 Score", f32(typed.outputs[0].contents.fp32_contents)
      == f32(expected.scores), (list(typed.outputs[0].contents.fp32_contents), list(expected.scores)))
check("typed ModelInfer logits equal ncf.v1 Score", f32(typed.outputs[1].contents.fp32_contents)
      == f32(expected.logits))
check("id and version in the answer", typed.id == "py-1" and typed.model_version == "1",
      (typed.id, typed.model_version))
raw = infer(oip.ModelInferRequest(model_name="demo", inputs=[
    tensor("user", "BYTES", [len(users)]), tensor("item", "BYTES", [len(items)])],
    raw_input_contents=[raw_bytes(users), raw_bytes(items)],
    outputs=[oip.ModelInferRequest.InferRequestedOutputTensor(name="logit"),
             oip.ModelInferRequest.InferRequestedOutputTensor(name="score")]))
check("raw ModelInfer answers raw, in the order asked", [o.name for o in raw.outputs] == ["logit", "score"]
      and len(raw.raw_output_contents) == 2 and not raw.outputs[0].HasField("contents"))
check("raw ModelInfer scores equal ncf.v1 Score", raw_output(raw, "score") == f32(expected.scores))
check("raw ModelInfer logits equal ncf.v1 Score", raw_output(raw, "logit") == f32(expected.logits))
indices = infer(oip.ModelInferRequest(model_name="demo", inputs=[
    tensor("user", "INT64", [len(users)]), tensor("item", "INT64", [len(items)])],
    raw_input_contents=[struct.pack("<%dq" % len(users), *[int(u[1:]) for u in users]),
                        struct.pack("<%dq" % len(items), *[int(i[1:]) for i in items])]))
check("INT64 dense indices score as their ids", raw_output(indices, "score") == f32(expected.scores))

batch = ["u4", "u30", "u4"]
k = 5
top_raw = infer(oip.ModelInferRequest(model_name="demo.topk", inputs=[
    tensor("user", "BYTES", [len(batch)]), tensor("k", "INT32", [1])],
    raw_input_contents=[raw_bytes(batch), struct.pack("<i", k)]))
top_typed = infer(oip.ModelInferRequest(model_name="demo.topk", inputs=[
    tensor("user", "BYTES", [len(batch)], bytes_contents=[u.encode() for u in batch])],
    parameters={"k": oip.InferParameter(int64_param=k)}))
got_items, got_scores = raw_output(top_raw, "items"), raw_output(top_raw, "scores")
check("top-k shape [batch, k]", list(top_raw.outputs[0].shape) == [len(batch), k], list(top_raw.outputs[0].shape))
for b, user in enumerate(batch):
    rec = call("ncf.v1.Recommender", "Recommend", v1.RecommendRequest(user=user, k=k), v1.RecommendResponse)
    want_items = [s.item for s in rec.items]
    want_scores = f32([s.score for s in rec.items])
    check("raw top-k of %s equals ncf.v1 Recommend" % user, got_items[b * k:(b + 1) * k] == want_items
          and got_scores[b * k:(b + 1) * k] == want_scores, (got_items[b * k:(b + 1) * k], want_items))
    typed_items = [x.decode() for x in top_typed.outputs[0].contents.bytes_contents[b * k:(b + 1) * k]]
    check("typed top-k of %s equals ncf.v1 Recommend" % user, typed_items == want_items
          and f32(top_typed.outputs[1].contents.fp32_contents[b * k:(b + 1) * k]) == want_scores)

# the request as grpcurl sends it (protobuf's JSON mapping: BYTES contents in base64), as docs/inference-protocol.md
# shows it
from google.protobuf import json_format  # noqa: E402
as_json = json_format.Parse('{"model_name": "demo", "inputs": ['
                            '{"name": "user", "datatype": "BYTES", "shape": [2], "contents": {"bytes_contents": '
                            '["dTA=", "dTk="]}}, {"name": "item", "datatype": "BYTES", "shape": [2], '
                            '"contents": {"bytes_contents": ["aTU=", "aTA="]}}]}', oip.ModelInferRequest())
check("the grpcurl-style JSON request scores as ncf.v1", f32(infer(as_json).outputs[0].contents.fp32_contents)
      == f32(expected.scores[:2]))

one = [tensor("user", "BYTES", [1], bytes_contents=[b"u1"]), tensor("item", "BYTES", [1], bytes_contents=[b"i1"])]
bad = {
    "wrong datatype": (grpc.StatusCode.INVALID_ARGUMENT, oip.ModelInferRequest(model_name="demo", inputs=[
        tensor("user", "FP32", [1], fp32_contents=[1.0]), tensor("item", "FP32", [1], fp32_contents=[1.0])])),
    "shape mismatch": (grpc.StatusCode.INVALID_ARGUMENT, oip.ModelInferRequest(model_name="demo", inputs=[
        tensor("user", "BYTES", [2], bytes_contents=[b"u1"]), one[1]])),
    "raw and typed together": (grpc.StatusCode.INVALID_ARGUMENT, oip.ModelInferRequest(
        model_name="demo", inputs=one, raw_input_contents=[raw_bytes(["u1"]), raw_bytes(["i1"])])),
    "raw size not matching the shape": (grpc.StatusCode.INVALID_ARGUMENT, oip.ModelInferRequest(
        model_name="demo", inputs=[tensor("user", "INT64", [2]), tensor("item", "INT64", [2])],
        raw_input_contents=[struct.pack("<2q", 1, 2), struct.pack("<q", 1)])),
    "unknown model": (grpc.StatusCode.NOT_FOUND, oip.ModelInferRequest(model_name="nope", inputs=one)),
    "unknown version": (grpc.StatusCode.NOT_FOUND, oip.ModelInferRequest(model_name="demo", model_version="7",
                                                                         inputs=one)),
    "unknown user": (grpc.StatusCode.NOT_FOUND, oip.ModelInferRequest(model_name="demo", inputs=[
        tensor("user", "BYTES", [1], bytes_contents=[b"stranger"]), one[1]])),
    "unknown item": (grpc.StatusCode.INVALID_ARGUMENT, oip.ModelInferRequest(model_name="demo", inputs=[
        one[0], tensor("item", "BYTES", [1], bytes_contents=[b"nothing"])])),
}
for name, (code, request) in bad.items():
    got = status_of(request)
    check("%s: %s" % (name, code.name), got == code, got)

print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
