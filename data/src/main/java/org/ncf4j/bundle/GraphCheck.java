package org.ncf4j.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.onnx.OnnxProto.GraphProto;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.onnx.OnnxProto.ValueInfoProto;

/** Checks that a bundle's ONNX graphs have the inputs, outputs and weight shapes its card describes. */
final class GraphCheck {
    private GraphCheck() {
    }

    /** @param name the file, for messages */
    static void score(String name, byte[] bytes, BundleCard card) {
        GraphProto g = parse(name, bytes);
        names(name, "inputs", g.getInputList(), List.of("user", "item"));
        names(name, "outputs", g.getOutputList(), List.of("score", "logit"));
        Map<String, List<Long>> dims = dims(g);
        boolean gmf = !card.variant().equals("mlp");
        boolean mlp = !card.variant().equals("gmf");
        if (gmf) {
            shape(name, dims, "gmf_user_embedding", card.numUsers(), card.factor());
            shape(name, dims, "gmf_item_embedding", card.numItems(), card.factor());
        }
        if (mlp) {
            int half = card.layers().get(0) / 2;
            shape(name, dims, "mlp_user_embedding", card.numUsers(), half);
            shape(name, dims, "mlp_item_embedding", card.numItems(), half);
        }
        int predictive = (gmf ? card.factor() : 0) + (mlp ? card.layers().get(card.layers().size() - 1) : 0);
        shape(name, dims, "output_weight", 1, predictive);
    }

    static void rank(String name, byte[] bytes, BundleCard card) {
        GraphProto g = parse(name, bytes);
        names(name, "inputs", g.getInputList(), List.of("user", "exclude", "k"));
        names(name, "outputs", g.getOutputList(), List.of("items", "scores"));
        Map<String, List<Long>> dims = dims(g);
        if (!card.variant().equals("mlp")) {
            shape(name, dims, "gmf_user_embedding", card.numUsers(), card.factor());
            shape(name, dims, "gmf_item_side", card.factor(), card.numItems());
        }
        if (!card.variant().equals("gmf")) {
            shape(name, dims, "mlp_user_embedding", card.numUsers(), card.layers().get(0) / 2);
            if (card.layers().size() > 1) {
                // [width, items] (items on the last axis); bundles exported before that layout have [items, width]
                long width = card.layers().get(1);
                if (!List.of((long) card.numItems(), width).equals(dims.get("mlp_0_item_side"))) {
                    shape(name, dims, "mlp_0_item_side", width, card.numItems());
                }
            } else {
                shape(name, dims, "mlp_item_side", 1, card.numItems());
            }
        }
    }

    private static GraphProto parse(String name, byte[] bytes) {
        try {
            ModelProto model = ModelProto.parseFrom(bytes);
            if (!model.hasGraph()) {
                throw new BundleException(name + " holds no graph");
            }
            return model.getGraph();
        } catch (InvalidProtocolBufferException e) {
            throw new BundleException(name + " is not a valid ONNX model: " + e.getMessage(), e);
        }
    }

    private static void names(String file, String what, List<ValueInfoProto> values, List<String> expected) {
        List<String> actual = new ArrayList<>();
        values.forEach(v -> actual.add(v.getName()));
        if (!actual.equals(expected)) {
            throw new BundleException(file + " has " + what + " " + actual + ", expected " + expected);
        }
    }

    private static Map<String, List<Long>> dims(GraphProto g) {
        Map<String, List<Long>> out = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            out.put(t.getName(), t.getDimsList());
        }
        return out;
    }

    private static void shape(String file, Map<String, List<Long>> dims, String tensor, long rows, long cols) {
        List<Long> actual = dims.get(tensor);
        List<Long> expected = List.of(rows, cols);
        if (actual == null) {
            throw new BundleException(file + " has no weight '" + tensor + "'");
        }
        if (!actual.equals(expected)) {
            throw new BundleException(file + ": weight '" + tensor + "' has shape " + actual + ", the card implies "
                    + expected);
        }
    }
}
