package org.ncf4j.server.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.inference.InferenceModels;
import org.ncf4j.server.inference.InferenceService;
import org.ncf4j.server.inference.Tensor;
import org.ncf4j.server.inference.Tensor.Datatype;

/**
 * The protocol's JSON forms to the server's {@link Tensor}s and back: an inference request's {@code id},
 * {@code parameters}, {@code inputs} (each with {@code name}, {@code shape}, {@code datatype} and {@code data},
 * flat or nested row-major) and {@code outputs}; the response's {@code model_name}, {@code model_version},
 * {@code id} and {@code outputs}. BYTES elements are JSON strings.
 */
final class JsonTensors {
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonTensors() {
    }

    static InferenceService.Request request(String model, String version, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ServingException.invalid("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ServingException.invalid("the body must be a JSON object with \"inputs\"");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw ServingException.invalid("\"inputs\" must be an array of tensors");
        }
        List<Tensor> tensors = new ArrayList<>(inputs.size());
        for (JsonNode x : inputs) {
            tensors.add(tensor(x));
        }
        List<String> outputs = new ArrayList<>();
        JsonNode asked = root.get("outputs");
        if (asked != null && !asked.isNull()) {
            if (!asked.isArray()) {
                throw ServingException.invalid("\"outputs\" must be an array of {\"name\": ...}");
            }
            for (JsonNode o : asked) {
                outputs.add(text(o, "name", "an output"));
            }
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isNull() && !id.isTextual()) {
            throw ServingException.invalid("\"id\" must be a string");
        }
        return new InferenceService.Request(model, version, id == null || id.isNull() ? "" : id.asText(),
                parameters(root.get("parameters")), tensors, outputs);
    }

    private static Tensor tensor(JsonNode x) {
        if (!x.isObject()) {
            throw ServingException.invalid("each input must be an object with name, shape, datatype and data");
        }
        String name = text(x, "name", "an input");
        Datatype type = Datatype.of(text(x, "datatype", "input '" + name + "'"), name);
        JsonNode shapeNode = x.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw ServingException.invalid("input '" + name + "' needs \"shape\", an array of whole numbers");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw ServingException.invalid("input '" + name + "': the shape holds " + d + ", not a whole number");
            }
            shape[i] = d.asLong();
        }
        int n = Tensor.elements(name, shape);
        List<JsonNode> data = new ArrayList<>(n);
        JsonNode d = x.get("data");
        if (d == null || !d.isArray()) {
            throw ServingException.invalid("input '" + name + "' needs \"data\", an array");
        }
        flatten(name, d, data, n);
        if (data.size() != n) {
            throw ServingException.invalid("input '" + name + "' has " + data.size() + " values in \"data\"; its shape "
                    + java.util.Arrays.toString(shape) + " holds " + n);
        }
        return switch (type) {
            case BYTES -> {
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    v[i] = element(name, type, data.get(i), JsonNode::isTextual).asText();
                }
                yield Tensor.bytes(name, shape, v);
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = element(name, type, data.get(i), e -> e.isIntegralNumber() && e.canConvertToLong()).asLong();
                }
                yield Tensor.int64(name, shape, v);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = element(name, type, data.get(i), e -> e.isIntegralNumber() && e.canConvertToInt()).asInt();
                }
                yield Tensor.int32(name, shape, v);
            }
            case FP32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) element(name, type, data.get(i), JsonNode::isNumber).asDouble();
                }
                yield Tensor.fp32(name, shape, v);
            }
            default -> Tensor.opaque(name, type, shape);
        };
    }

    /** The elements of nested arrays, row-major; stops counting past {@code n} so that no input grows the list. */
    private static void flatten(String name, JsonNode node, List<JsonNode> out, int n) {
        for (JsonNode e : node) {
            if (out.size() > n) {
                return;
            }
            if (e.isArray()) {
                flatten(name, e, out, n);
            } else {
                out.add(e);
            }
        }
    }

    private static JsonNode element(String name, Datatype type, JsonNode e,
                                    java.util.function.Predicate<JsonNode> fits) {
        if (!fits.test(e)) {
            String shown = e.toString();
            throw ServingException.invalid("input '" + name + "' (" + type + ") holds "
                    + (shown.length() > 64 ? shown.substring(0, 64) + "..." : shown) + ", not a value of its datatype");
        }
        return e;
    }

    private static String text(JsonNode x, String field, String what) {
        JsonNode v = x.get(field);
        if (v == null || !v.isTextual()) {
            throw ServingException.invalid(what + " needs \"" + field + "\", a string");
        }
        return v.asText();
    }

    /** JSON values as Boolean, Long, Double or String; null and nested values are left out. */
    static Map<String, Object> parameters(JsonNode p) {
        if (p == null || p.isNull()) {
            return Map.of();
        }
        if (!p.isObject()) {
            throw ServingException.invalid("\"parameters\" must be an object");
        }
        Map<String, Object> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value = v.isBoolean() ? (Object) v.asBoolean() : v.isIntegralNumber() && v.canConvertToLong()
                    ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble() : v.isTextual() ? v.asText() : null;
            if (value != null) {
                out.put(e.getKey(), value);
            }
        }
        return out;
    }

    static String response(InferenceService.Result r, String id) {
        ObjectNode root = JSON.createObjectNode().put("model_name", r.model()).put("model_version", r.version());
        if (!id.isEmpty()) {
            root.put("id", id);
        }
        ArrayNode outputs = root.putArray("outputs");
        for (Tensor t : r.outputs()) {
            ObjectNode o = outputs.addObject().put("name", t.name()).put("datatype", t.datatype().name());
            ArrayNode shape = o.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            ArrayNode data = o.putArray("data");
            if (t.datatype() == Datatype.BYTES) {
                for (String s : t.strings()) {
                    data.add(s);
                }
            } else {
                for (float f : t.floats()) {
                    data.add(f);
                }
            }
        }
        return root.toString();
    }

    static String metadata(InferenceService.Metadata m) {
        ObjectNode root = JSON.createObjectNode().put("name", m.name());
        ArrayNode versions = root.putArray("versions");
        m.versions().forEach(versions::add);
        root.put("platform", m.platform());
        tensors(root.putArray("inputs"), m.inputs());
        tensors(root.putArray("outputs"), m.outputs());
        return root.toString();
    }

    /**
     * A model's configuration as Triton's JSON form of ModelConfig: max_batch_size 0, dims the whole shapes (the
     * batch as -1), data types as Triton names them (BYTES: TYPE_STRING).
     */
    static String config(InferenceService.Metadata m) {
        ObjectNode root = JSON.createObjectNode().put("name", m.name()).put("platform", m.platform())
                .put("backend", InferenceService.BACKEND).put("max_batch_size", 0);
        for (String part : List.of("input", "output")) {
            ArrayNode list = root.putArray(part);
            for (InferenceModels.TensorSpec t : part.equals("input") ? m.inputs() : m.outputs()) {
                ObjectNode o = list.addObject().put("name", t.name())
                        .put("data_type", InferenceService.configType(t.datatype()));
                ArrayNode dims = o.putArray("dims");
                for (long d : t.shape()) {
                    dims.add(d);
                }
                if (part.equals("input")) {
                    o.put("optional", t.optional());
                }
            }
        }
        return root.toString();
    }

    private static void tensors(ArrayNode out, List<InferenceModels.TensorSpec> specs) {
        for (InferenceModels.TensorSpec t : specs) {
            ObjectNode o = out.addObject().put("name", t.name()).put("datatype", t.datatype().name());
            ArrayNode shape = o.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
        }
    }
}
