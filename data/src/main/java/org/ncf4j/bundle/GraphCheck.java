package org.ncf4j.bundle;

import static org.ncf4j.contract.TensorNames.GMF_ITEM_EMBEDDING;
import static org.ncf4j.contract.TensorNames.GMF_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.GMF_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_0_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.MLP_ITEM_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.MLP_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.OUTPUT_WEIGHT;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.onnx.OnnxProto.GraphProto;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.onnx.OnnxProto.ValueInfoProto;

/**
 * Checks that a bundle's ONNX graphs have the inputs and outputs {@link GraphIO} names and the weights the card's
 * shape implies ({@link ModelShape#parameters} for the scoring graph, {@link ModelShape#rankingConstants} for the
 * ranking graph).
 */
final class GraphCheck {
    private GraphCheck() {
    }

    /** @param name the file, for messages */
    static void score(String name, byte[] bytes, ModelShape shape) {
        GraphProto g = parse(name, bytes);
        names(name, "inputs", g.getInputList(), GraphIO.SCORING_INPUTS);
        names(name, "outputs", g.getOutputList(), GraphIO.SCORING_OUTPUTS);
        Map<String, List<Long>> dims = dims(g);
        Map<String, long[]> expected = shape.parameters();
        for (String tensor : List.of(GMF_USER_EMBEDDING, GMF_ITEM_EMBEDDING, MLP_USER_EMBEDDING, MLP_ITEM_EMBEDDING,
                OUTPUT_WEIGHT)) {
            if (expected.containsKey(tensor)) {
                shape(name, dims, tensor, expected.get(tensor));
            }
        }
    }

    static void rank(String name, byte[] bytes, ModelShape shape) {
        GraphProto g = parse(name, bytes);
        names(name, "inputs", g.getInputList(), GraphIO.RANKING_INPUTS);
        names(name, "outputs", g.getOutputList(), GraphIO.RANKING_OUTPUTS);
        Map<String, List<Long>> dims = dims(g);
        Map<String, long[]> expected = shape.rankingConstants();
        for (String tensor : List.of(GMF_USER_EMBEDDING, GMF_ITEM_SIDE, MLP_USER_EMBEDDING, MLP_ITEM_SIDE)) {
            if (expected.containsKey(tensor)) {
                shape(name, dims, tensor, expected.get(tensor));
            }
        }
        long[] itemSide = expected.get(MLP_0_ITEM_SIDE);
        // [width, items] (items on the last axis); bundles exported before that layout have [items, width]
        if (itemSide != null && !List.of(itemSide[1], itemSide[0]).equals(dims.get(MLP_0_ITEM_SIDE))) {
            shape(name, dims, MLP_0_ITEM_SIDE, itemSide);
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

    private static void shape(String file, Map<String, List<Long>> dims, String tensor, long[] shape) {
        List<Long> actual = dims.get(tensor);
        List<Long> expected = Arrays.stream(shape).boxed().toList();
        if (actual == null) {
            throw new BundleException(file + " has no weight '" + tensor + "'");
        }
        if (!actual.equals(expected)) {
            throw new BundleException(file + ": weight '" + tensor + "' has shape " + actual + ", the card implies "
                    + expected);
        }
    }
}
