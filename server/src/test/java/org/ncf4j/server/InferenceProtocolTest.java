package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.ncf4j.api.inference.GRPCInferenceServiceGrpc;
import org.ncf4j.api.inference.InferParameter;
import org.ncf4j.api.inference.InferTensorContents;
import org.ncf4j.api.inference.ModelInferRequest;
import org.ncf4j.api.inference.ModelInferRequest.InferInputTensor;
import org.ncf4j.api.inference.ModelInferResponse;
import org.ncf4j.api.inference.ModelConfig;
import org.ncf4j.api.inference.ModelConfigRequest;
import org.ncf4j.api.inference.ModelMetadataRequest;
import org.ncf4j.api.inference.ModelOutput;
import org.ncf4j.api.inference.ModelMetadataResponse;
import org.ncf4j.api.inference.ModelReadyRequest;
import org.ncf4j.api.inference.ServerLiveRequest;
import org.ncf4j.api.inference.ServerMetadataRequest;
import org.ncf4j.api.inference.ServerReadyRequest;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;

/**
 * The Open Inference Protocol's gRPC service on the real server: health, metadata, and ModelInfer in both content
 * forms giving what ncf.v1 Score and Recommend give for the same pairs and users (to the float: the same kernel),
 * and the status of every bad request.
 */
@MicronautTest
class InferenceProtocolTest extends ServerTestBase {
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub oip;
    private RecommenderGrpc.RecommenderBlockingStub ncf;
    private String metricsUrl;
    private static final List<String> USERS = List.of("u0", "u7", "u39", "u7", "u12");
    private static final List<String> ITEMS = List.of("i0", "i3", "i23", "i11", "i3");

    @Override
    protected TestServers.Setup createServer() {
        TestServers.Setup setup = TestServers.create(true, Map.of("ncf.max-recommend-batch", "8"));
        oip = GRPCInferenceServiceGrpc.newBlockingStub(setup.channel());
        ncf = RecommenderGrpc.newBlockingStub(setup.channel());
        metricsUrl = "http://127.0.0.1:" + setup.properties().get("micronaut.server.port") + "/prometheus";
        return setup;
    }

    static InferInputTensor.Builder input(String name, String datatype, long... shape) {
        InferInputTensor.Builder b = InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        for (long d : shape) {
            b.addShape(d);
        }
        return b;
    }

    static InferInputTensor bytes(String name, List<String> values) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        values.forEach(v -> c.addBytesContents(ByteString.copyFromUtf8(v)));
        return input(name, "BYTES", values.size()).setContents(c).build();
    }

    /** BYTES elements as the raw form carries them: a 4-byte little-endian length, then the bytes. */
    static ByteString rawBytes(List<String> values) {
        ByteString.Output out = ByteString.newOutput();
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array(), 0, 4);
            out.write(b, 0, b.length);
        }
        return out.toByteString();
    }

    static float[] rawFloats(ByteString raw) {
        float[] f = new float[raw.size() / 4];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    static List<String> rawStrings(ByteString raw) {
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<String> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] s = new byte[b.getInt()];
            b.get(s);
            out.add(new String(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static float[] floats(List<Float> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = list.get(i);
        }
        return f;
    }

    private ScoreResponse v1Score() {
        return ncf.score(ScoreRequest.newBuilder().addAllUsers(USERS).addAllItems(ITEMS).build());
    }

    @Test
    void healthAndMetadataDescribeBothFormsOfTheModel() {
        assertTrue(oip.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(oip.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertTrue(oip.modelReady(ModelReadyRequest.newBuilder().setName("demo").build()).getReady());
        assertTrue(oip.modelReady(ModelReadyRequest.newBuilder().setName("demo.topk").setVersion("1").build())
                .getReady());
        assertFalse(oip.modelReady(ModelReadyRequest.newBuilder().setName("demo").setVersion("9").build())
                .getReady());
        assertEquals(Status.Code.NOT_FOUND, status(() -> oip.modelReady(ModelReadyRequest.newBuilder()
                .setName("nope").build())).getCode());
        assertEquals("ncf4j", oip.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
        assertEquals(List.of("model_configuration"), oip.serverMetadata(ServerMetadataRequest.getDefaultInstance())
                .getExtensionsList());

        ModelMetadataResponse score = oip.modelMetadata(ModelMetadataRequest.newBuilder().setName("demo").build());
        assertEquals("demo", score.getName());
        assertEquals(List.of("1"), score.getVersionsList());
        assertEquals("onnx_onnxv1", score.getPlatform());
        assertEquals("user:BYTES:[-1] item:BYTES:[-1]", describe(score.getInputsList()));
        assertEquals("score:FP32:[-1] logit:FP32:[-1]", describe(score.getOutputsList()));
        ModelMetadataResponse topk = oip.modelMetadata(ModelMetadataRequest.newBuilder().setName("demo.topk")
                .setVersion("1").build());
        assertEquals("user:BYTES:[-1] k:INT32:[1]", describe(topk.getInputsList()));
        assertEquals("items:BYTES:[-1, -1] scores:FP32:[-1, -1]", describe(topk.getOutputsList()));
        assertEquals(Status.Code.NOT_FOUND, status(() -> oip.modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("demo").setVersion("x").build())).getCode());
        assertEquals(Status.Code.NOT_FOUND, status(() -> oip.modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("demo").setVersion("2").build())).getCode());
    }

    @Test
    void modelConfigDescribesTheModelsAsTritonsConfigurationDoes() {
        ModelConfig topk = oip.modelConfig(ModelConfigRequest.newBuilder().setName("demo.topk").build()).getConfig();
        assertEquals("demo.topk", topk.getName());
        assertEquals("onnx_onnxv1", topk.getPlatform());
        assertEquals(0, topk.getMaxBatchSize(), "no batching dimension added: dims are the whole shapes");
        assertEquals(List.of("user:TYPE_STRING:[-1]:false", "k:TYPE_INT32:[1]:true"), topk.getInputList().stream()
                .map(t -> t.getName() + ":" + t.getDataType() + ":" + t.getDimsList() + ":" + t.getOptional())
                .toList());
        assertEquals(List.of("items:TYPE_STRING:[-1, -1]", "scores:TYPE_FP32:[-1, -1]"), topk.getOutputList()
                .stream().map(t -> t.getName() + ":" + t.getDataType() + ":" + t.getDimsList()).toList());
        ModelConfig score = oip.modelConfig(ModelConfigRequest.newBuilder().setName("demo").setVersion("1").build())
                .getConfig();
        assertEquals(List.of("score", "logit"), score.getOutputList().stream().map(ModelOutput::getName).toList());
        assertEquals(Status.Code.NOT_FOUND, status(() -> oip.modelConfig(ModelConfigRequest.newBuilder()
                .setName("nope").build())).getCode());
        assertEquals(Status.Code.NOT_FOUND, status(() -> oip.modelConfig(ModelConfigRequest.newBuilder()
                .setName("demo").setVersion("2").build())).getCode());
    }

    private static String describe(List<ModelMetadataResponse.TensorMetadata> tensors) {
        return String.join(" ", tensors.stream().map(t -> t.getName() + ":" + t.getDatatype() + ":"
                + t.getShapeList()).toList());
    }

    @Test
    void typedScoresAreNcfV1ScoresToTheFloat() {
        ModelInferResponse r = oip.modelInfer(ModelInferRequest.newBuilder().setModelName("demo").setId("req-7")
                .addInputs(bytes("user", USERS)).addInputs(bytes("item", ITEMS)).build());
        ScoreResponse v1 = v1Score();
        assertEquals("req-7", r.getId());
        assertEquals("demo", r.getModelName());
        assertEquals("1", r.getModelVersion());
        assertEquals(0, r.getRawOutputContentsCount());
        assertEquals(List.of("score", "logit"), r.getOutputsList().stream().map(o -> o.getName()).toList());
        assertEquals(List.of(5L), r.getOutputs(0).getShapeList());
        assertEquals("FP32", r.getOutputs(0).getDatatype());
        assertArrayEquals(floats(v1.getScoresList()), floats(r.getOutputs(0).getContents().getFp32ContentsList()));
        assertArrayEquals(floats(v1.getLogitsList()), floats(r.getOutputs(1).getContents().getFp32ContentsList()));
    }

    @Test
    void rawScoresComeRawInTheOrderAskedAndIndicesScoreAsTheirIds() {
        ModelInferResponse r = oip.modelInfer(ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("item", "BYTES", 5)).addInputs(input("user", "BYTES", 5))
                .addRawInputContents(rawBytes(ITEMS)).addRawInputContents(rawBytes(USERS))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("logit"))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("score")).build());
        ScoreResponse v1 = v1Score();
        assertEquals(List.of("logit", "score"), r.getOutputsList().stream().map(o -> o.getName()).toList());
        assertFalse(r.getOutputs(0).hasContents());
        assertArrayEquals(floats(v1.getLogitsList()), rawFloats(r.getRawOutputContents(0)));
        assertArrayEquals(floats(v1.getScoresList()), rawFloats(r.getRawOutputContents(1)));

        // users.txt and items.txt list u0..u39 and i0..i23 in order: the dense index of "u7" is 7
        long[] u = USERS.stream().mapToLong(s -> Long.parseLong(s.substring(1))).toArray();
        long[] it = ITEMS.stream().mapToLong(s -> Long.parseLong(s.substring(1))).toArray();
        ByteBuffer ub = ByteBuffer.allocate(8 * u.length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer ib = ByteBuffer.allocate(8 * it.length).order(ByteOrder.LITTLE_ENDIAN);
        ub.asLongBuffer().put(u);
        ib.asLongBuffer().put(it);
        ModelInferResponse idx = oip.modelInfer(ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("user", "INT64", 5)).addInputs(input("item", "INT64", 5))
                .addRawInputContents(ByteString.copyFrom(ub.array())).addRawInputContents(ByteString.copyFrom(ib
                        .array())).build());
        assertArrayEquals(floats(v1.getScoresList()), rawFloats(idx.getRawOutputContents(0)));
        InferTensorContents.Builder typedU = InferTensorContents.newBuilder();
        InferTensorContents.Builder typedI = InferTensorContents.newBuilder();
        for (int i = 0; i < u.length; i++) {
            typedU.addInt64Contents(u[i]);
            typedI.addInt64Contents(it[i]);
        }
        ModelInferResponse typed = oip.modelInfer(ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("user", "INT64", 5).setContents(typedU))
                .addInputs(input("item", "INT64", 5).setContents(typedI)).build());
        assertArrayEquals(floats(v1.getLogitsList()), floats(typed.getOutputs(1).getContents()
                .getFp32ContentsList()));
    }

    @Test
    void topKIsNcfV1RecommendForEachUserInBothForms() {
        List<String> users = List.of("u3", "u17", "u3", "u38");
        ModelInferResponse typed = oip.modelInfer(ModelInferRequest.newBuilder().setModelName("demo.topk")
                .addInputs(bytes("user", users))
                .addInputs(input("k", "INT32", 1).setContents(InferTensorContents.newBuilder().addIntContents(4)))
                .build());
        ModelInferResponse raw = oip.modelInfer(ModelInferRequest.newBuilder().setModelName("demo.topk")
                .addInputs(input("user", "BYTES", users.size())).addRawInputContents(rawBytes(users))
                .putParameters("k", InferParameter.newBuilder().setInt64Param(4).build()).build());
        assertEquals(List.of(4L, 4L), typed.getOutputs(0).getShapeList());
        assertEquals(List.of("items", "scores"), raw.getOutputsList().stream().map(o -> o.getName()).toList());
        List<String> rawItems = rawStrings(raw.getRawOutputContents(0));
        float[] rawScores = rawFloats(raw.getRawOutputContents(1));
        for (int b = 0; b < users.size(); b++) {
            RecommendResponse v1 = ncf.recommend(RecommendRequest.newBuilder().setUser(users.get(b)).setK(4).build());
            List<String> items = v1.getItemsList().stream().map(s -> s.getItem()).toList();
            float[] scores = floats(v1.getItemsList().stream().map(s -> s.getScore()).toList());
            assertEquals(items, typed.getOutputs(0).getContents().getBytesContentsList().subList(4 * b, 4 * b + 4)
                    .stream().map(ByteString::toStringUtf8).toList());
            assertArrayEquals(scores, floats(typed.getOutputs(1).getContents().getFp32ContentsList()
                    .subList(4 * b, 4 * b + 4)));
            assertEquals(items, rawItems.subList(4 * b, 4 * b + 4));
            assertArrayEquals(scores, java.util.Arrays.copyOfRange(rawScores, 4 * b, 4 * b + 4));
        }
        // one user, seen items included, k by default
        ModelInferResponse one = oip.modelInfer(ModelInferRequest.newBuilder().setModelName("demo.topk")
                .addInputs(bytes("user", List.of("u5")))
                .putParameters("include_seen", InferParameter.newBuilder().setBoolParam(true).build()).build());
        RecommendResponse v1 = ncf.recommend(RecommendRequest.newBuilder().setUser("u5").setK(10).setIncludeSeen(true)
                .build());
        assertEquals(v1.getItemsList().stream().map(s -> s.getItem()).toList(), one.getOutputs(0).getContents()
                .getBytesContentsList().stream().map(ByteString::toStringUtf8).toList());
    }

    @Test
    void everyBadRequestGetsItsStatus() {
        ModelInferRequest.Builder ok = ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(bytes("user", List.of("u1"))).addInputs(bytes("item", List.of("i1")));
        assertEquals(Status.Code.OK, code(() -> oip.modelInfer(ok.build())));
        Map<String, ModelInferRequest> invalid = new java.util.LinkedHashMap<>();
        invalid.put("wrong datatype", ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("user", "FP32", 1).setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
                .addInputs(input("item", "FP32", 1).setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
                .build());
        invalid.put("unknown datatype", ok.clone().setInputs(0, input("user", "STRING", 1)).build());
        invalid.put("shape and contents disagree", ok.clone().setInputs(0, bytes("user", List.of("u1"))
                .toBuilder().clearShape().addShape(2)).build());
        invalid.put("two dimensions", ok.clone().setInputs(0, bytes("user", List.of("u1")).toBuilder()
                .addShape(1)).build());
        invalid.put("raw and typed together", ok.clone().addRawInputContents(rawBytes(List.of("u1")))
                .addRawInputContents(rawBytes(List.of("i1"))).build());
        invalid.put("one raw content for two inputs", ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("user", "BYTES", 1)).addInputs(input("item", "BYTES", 1))
                .addRawInputContents(rawBytes(List.of("u1"))).build());
        invalid.put("raw size not matching the shape", ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("user", "INT64", 2)).addInputs(input("item", "INT64", 2))
                .addRawInputContents(ByteString.copyFrom(new byte[16]))
                .addRawInputContents(ByteString.copyFrom(new byte[12])).build());
        invalid.put("a length prefix past the end", ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("user", "BYTES", 1)).addInputs(input("item", "BYTES", 1))
                .addRawInputContents(ByteString.copyFrom(new byte[] {100, 0, 0, 0, 'u'}))
                .addRawInputContents(rawBytes(List.of("i1"))).build());
        invalid.put("a huge shape", ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("user", "BYTES", Integer.MAX_VALUE)).addInputs(input("item", "BYTES", 1))
                .addRawInputContents(rawBytes(List.of("u1"))).addRawInputContents(rawBytes(List.of("i1"))).build());
        invalid.put("negative dimension", ok.clone().setInputs(0, input("user", "BYTES", -1)).build());
        invalid.put("missing input", ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(bytes("user", List.of("u1"))).build());
        invalid.put("unknown input", ok.clone().addInputs(bytes("context", List.of("x"))).build());
        invalid.put("input twice", ok.clone().addInputs(bytes("user", List.of("u1"))).build());
        invalid.put("unknown output", ok.clone().addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                .setName("probability")).build());
        invalid.put("lengths differ", ok.clone().setInputs(1, bytes("item", List.of("i1", "i2"))).build());
        invalid.put("unknown item", ok.clone().setInputs(1, bytes("item", List.of("nope"))).build());
        invalid.put("index out of range", ModelInferRequest.newBuilder().setModelName("demo")
                .addInputs(input("user", "INT64", 1).setContents(InferTensorContents.newBuilder().addInt64Contents(40)))
                .addInputs(input("item", "INT64", 1).setContents(InferTensorContents.newBuilder().addInt64Contents(0)))
                .build());
        invalid.put("mixed datatypes", ok.clone().setInputs(1, input("item", "INT64", 1).setContents(
                InferTensorContents.newBuilder().addInt64Contents(0))).build());
        invalid.put("empty model name", ok.clone().setModelName("").build());
        invalid.put("k of the wrong type", ModelInferRequest.newBuilder().setModelName("demo.topk")
                .addInputs(bytes("user", List.of("u1")))
                .putParameters("k", InferParameter.newBuilder().setStringParam("5").build()).build());
        invalid.put("k out of range", ModelInferRequest.newBuilder().setModelName("demo.topk")
                .addInputs(bytes("user", List.of("u1")))
                .putParameters("k", InferParameter.newBuilder().setInt64Param(25).build()).build());
        invalid.put("k twice, differing", ModelInferRequest.newBuilder().setModelName("demo.topk")
                .addInputs(bytes("user", List.of("u1")))
                .addInputs(input("k", "INT32", 1).setContents(InferTensorContents.newBuilder().addIntContents(3)))
                .putParameters("k", InferParameter.newBuilder().setInt64Param(4).build()).build());
        invalid.put("top-k batch over the limit", ModelInferRequest.newBuilder().setModelName("demo.topk")
                .addInputs(bytes("user", java.util.Collections.nCopies(9, "u1"))).build());
        invalid.put("unknown ranking", ModelInferRequest.newBuilder().setModelName("demo.topk")
                .addInputs(bytes("user", List.of("u1")))
                .putParameters("ranking", InferParameter.newBuilder().setStringParam("fast").build()).build());
        for (Map.Entry<String, ModelInferRequest> e : invalid.entrySet()) {
            Status s = status(() -> oip.modelInfer(e.getValue()));
            assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), e.getKey() + ": " + s);
            assertTrue(s.getDescription() != null && s.getDescription().length() < 1100, e.getKey());
        }
        Map<String, ModelInferRequest> notFound = Map.of(
                "unknown model", ok.clone().setModelName("nope").build(),
                "unknown top-k model", ok.clone().setModelName("nope.topk").build(),
                "unknown version", ok.clone().setModelVersion("2").build(),
                "version not a number", ok.clone().setModelVersion("latest").build(),
                "unknown user", ok.clone().setInputs(0, bytes("user", List.of("stranger"))).build());
        for (Map.Entry<String, ModelInferRequest> e : notFound.entrySet()) {
            Status s = status(() -> oip.modelInfer(e.getValue()));
            assertEquals(Status.Code.NOT_FOUND, s.getCode(), e.getKey() + ": " + s);
        }
    }

    @Test
    void callsAreCountedByMethod() {
        oip.serverLive(ServerLiveRequest.getDefaultInstance());
        oip.modelInfer(ModelInferRequest.newBuilder().setModelName("demo").addInputs(bytes("user", List.of("u1")))
                .addInputs(bytes("item", List.of("i1"))).build());
        String metrics = Prometheus.scrape(metricsUrl);
        assertTrue(metrics.contains("ncf_requests_total{rpc=\"ModelInfer\",status=\"OK\"}"), metrics);
        assertTrue(metrics.contains("ncf_requests_total{rpc=\"ServerLive\",status=\"OK\"}"), metrics);
    }

    private static Status status(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus();
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
