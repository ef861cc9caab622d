package org.ncf4j.server.grpc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.api.inference.InferParameter;
import org.ncf4j.api.inference.InferTensorContents;
import org.ncf4j.api.inference.ModelInferRequest;
import org.ncf4j.api.inference.ModelInferRequest.InferInputTensor;
import org.ncf4j.api.inference.ModelInferResponse;
import org.ncf4j.api.inference.ModelInferResponse.InferOutputTensor;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.inference.InferenceService;
import org.ncf4j.server.inference.Tensor;
import org.ncf4j.server.inference.Tensor.Datatype;

/**
 * ModelInfer's messages to the server's {@link Tensor}s and back, in both content forms of the protocol: typed
 * ({@code InferTensorContents}) and raw ({@code raw_input_contents}: each tensor flattened row-major,
 * little-endian, a BYTES element as a 4-byte little-endian length and its bytes). A response is raw when its
 * request was, as tritonclient expects (it reads only raw outputs, by position).
 */
final class InferenceTensors {
    private InferenceTensors() {
    }

    static InferenceService.Request request(ModelInferRequest r) {
        boolean raw = r.getRawInputContentsCount() > 0;
        if (raw && r.getRawInputContentsCount() != r.getInputsCount()) {
            throw ServingException.invalid("the request has " + r.getInputsCount() + " inputs and "
                    + r.getRawInputContentsCount() + " raw_input_contents: give one raw content per input, in the "
                    + "order of inputs");
        }
        List<Tensor> inputs = new ArrayList<>(r.getInputsCount());
        for (int i = 0; i < r.getInputsCount(); i++) {
            InferInputTensor x = r.getInputs(i);
            if (raw && x.hasContents()) {
                throw ServingException.invalid("input '" + x.getName() + "' has contents and the request has "
                        + "raw_input_contents: use one form for every input");
            }
            long[] shape = x.getShapeList().stream().mapToLong(Long::longValue).toArray();
            Datatype type = Datatype.of(x.getDatatype(), x.getName());
            int n = Tensor.elements(x.getName(), shape);
            inputs.add(raw ? fromRaw(x.getName(), type, shape, n, r.getRawInputContents(i))
                    : fromContents(x.getName(), type, shape, n, x.getContents()));
        }
        List<String> outputs = r.getOutputsList().stream().map(ModelInferRequest.InferRequestedOutputTensor::getName)
                .toList();
        return new InferenceService.Request(r.getModelName(), r.getModelVersion(), r.getId(),
                parameters(r.getParametersMap()), inputs, outputs);
    }

    static ModelInferResponse response(InferenceService.Result result, String id, boolean raw) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(result.model())
                .setModelVersion(result.version()).setId(id);
        for (Tensor t : result.outputs()) {
            InferOutputTensor.Builder o = InferOutputTensor.newBuilder().setName(t.name())
                    .setDatatype(t.datatype().name());
            for (long d : t.shape()) {
                o.addShape(d);
            }
            if (raw) {
                b.addRawOutputContents(toRaw(t));
            } else {
                o.setContents(contents(t));
            }
            b.addOutputs(o);
        }
        return b.build();
    }

    /** The parameters' values as Boolean, Long, Double or String (a uint64 over Long's range stays a String). */
    static Map<String, Object> parameters(Map<String, InferParameter> given) {
        if (given.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new HashMap<>();
        given.forEach((name, p) -> {
            Object v = switch (p.getParameterChoiceCase()) {
                case BOOL_PARAM -> p.getBoolParam();
                case INT64_PARAM -> p.getInt64Param();
                case STRING_PARAM -> p.getStringParam();
                case DOUBLE_PARAM -> p.getDoubleParam();
                case UINT64_PARAM -> p.getUint64Param() >= 0 ? (Object) p.getUint64Param()
                        : Long.toUnsignedString(p.getUint64Param());
                case PARAMETERCHOICE_NOT_SET -> null;
            };
            if (v != null) {
                out.put(name, v);
            }
        });
        return out;
    }

    private static Tensor fromRaw(String name, Datatype type, long[] shape, int n, ByteString raw) {
        ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (type != Datatype.BYTES) {
            long expected = (long) n * type.size();
            if (raw.size() != expected) {
                throw ServingException.invalid("raw contents of input '" + name + "' hold " + raw.size() + " bytes; "
                        + "its shape " + java.util.Arrays.toString(shape) + " of " + type + " needs " + expected);
            }
        }
        return switch (type) {
            case BYTES -> Tensor.bytes(name, shape, rawStrings(name, n, in));
            case INT64 -> {
                long[] v = new long[n];
                in.asLongBuffer().get(v);
                yield Tensor.int64(name, shape, v);
            }
            case INT32 -> {
                int[] v = new int[n];
                in.asIntBuffer().get(v);
                yield Tensor.int32(name, shape, v);
            }
            case FP32 -> {
                float[] v = new float[n];
                in.asFloatBuffer().get(v);
                yield Tensor.fp32(name, shape, v);
            }
            default -> Tensor.opaque(name, type, shape);
        };
    }

    /** {@code n} length-prefixed elements filling {@code in} exactly. */
    private static String[] rawStrings(String name, int n, ByteBuffer in) {
        if (n > in.remaining() / 4) {
            throw ServingException.invalid("raw contents of input '" + name + "' hold " + in.remaining() + " bytes, "
                    + "too few for " + n + " BYTES elements of at least 4 bytes each (shape and contents disagree)");
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            if (in.remaining() < 4) {
                throw ServingException.invalid("raw contents of input '" + name + "' end inside element " + i
                        + " of " + n + ": a BYTES element is a 4-byte little-endian length, then that many bytes");
            }
            long len = Integer.toUnsignedLong(in.getInt());
            if (len > in.remaining()) {
                throw ServingException.invalid("raw contents of input '" + name + "': element " + i + " declares "
                        + len + " bytes, " + in.remaining() + " are left");
            }
            byte[] b = new byte[(int) len];
            in.get(b);
            out[i] = new String(b, StandardCharsets.UTF_8);
        }
        if (in.hasRemaining()) {
            throw ServingException.invalid("raw contents of input '" + name + "' hold " + in.remaining() + " bytes "
                    + "after its " + n + " elements (shape and contents disagree)");
        }
        return out;
    }

    private static Tensor fromContents(String name, Datatype type, long[] shape, int n, InferTensorContents c) {
        return switch (type) {
            case BYTES -> {
                count(name, type, "bytes_contents", c.getBytesContentsCount(), n, shape);
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    v[i] = c.getBytesContents(i).toStringUtf8();
                }
                yield Tensor.bytes(name, shape, v);
            }
            case INT64 -> {
                count(name, type, "int64_contents", c.getInt64ContentsCount(), n, shape);
                yield Tensor.int64(name, shape, c.getInt64ContentsList().stream().mapToLong(Long::longValue)
                        .toArray());
            }
            case INT32 -> {
                count(name, type, "int_contents", c.getIntContentsCount(), n, shape);
                yield Tensor.int32(name, shape, c.getIntContentsList().stream().mapToInt(Integer::intValue)
                        .toArray());
            }
            case FP32 -> {
                count(name, type, "fp32_contents", c.getFp32ContentsCount(), n, shape);
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = c.getFp32Contents(i);
                }
                yield Tensor.fp32(name, shape, v);
            }
            default -> Tensor.opaque(name, type, shape);
        };
    }

    private static void count(String name, Datatype type, String field, int given, int n, long[] shape) {
        if (given != n) {
            throw ServingException.invalid("input '" + name + "' (" + type + ") has " + given + " values in "
                    + field + "; its shape " + java.util.Arrays.toString(shape) + " holds " + n);
        }
    }

    private static ByteString toRaw(Tensor t) {
        return switch (t.datatype()) {
            case FP32 -> {
                float[] v = t.floats();
                ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                yield ByteString.copyFrom(b.array());
            }
            case BYTES -> {
                byte[][] parts = new byte[t.strings().length][];
                int size = 0;
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = t.strings()[i].getBytes(StandardCharsets.UTF_8);
                    size += 4 + parts[i].length;
                }
                ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
                for (byte[] p : parts) {
                    b.putInt(p.length).put(p);
                }
                yield ByteString.copyFrom(b.array());
            }
            default -> throw new IllegalStateException("no output of datatype " + t.datatype());
        };
    }

    private static InferTensorContents contents(Tensor t) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        switch (t.datatype()) {
            case FP32 -> {
                for (float f : t.floats()) {
                    c.addFp32Contents(f);
                }
            }
            case BYTES -> {
                for (String s : t.strings()) {
                    c.addBytesContents(ByteString.copyFromUtf8(s));
                }
            }
            default -> throw new IllegalStateException("no output of datatype " + t.datatype());
        }
        return c.build();
    }
}
