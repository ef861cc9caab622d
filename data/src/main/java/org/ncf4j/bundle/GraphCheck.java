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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.onnx.OnnxProto.GraphProto;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.StringStringEntryProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.onnx.OnnxProto.ValueInfoProto;

/**
 * Checks that a bundle's ONNX graphs have the inputs and outputs {@link GraphIO} names and the weights the card's
 * shape implies ({@link ModelShape#parameters} for the scoring graph, {@link ModelShape#rankingConstants} for the
 * ranking graph), and that each weight stored as external data is float32, lies in the bundle's data file, inside
 * it, and is as long as its dims say. Returns those external weights by name.
 */
final class GraphCheck {
    /** A weight stored in the data file: its dims and where its bytes are. */
    record External(String name, long[] dims, long offset, long length) {
    }

    private GraphCheck() {
    }

    /**
     * @param name the file, for messages
     * @param dataFileBytes the size of the bundle's data file, or -1 when the bundle has none
     */
    static Map<String, External> score(String name, byte[] bytes, ModelShape shape, long dataFileBytes) {
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
        return externals(name, g, dataFileBytes);
    }

    static Map<String, External> rank(String name, byte[] bytes, ModelShape shape, long dataFileBytes) {
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
        return externals(name, g, dataFileBytes);
    }

    /** The weights stored as external data, each checked: in the data file, inside it, of the right length. */
    private static Map<String, External> externals(String file, GraphProto g, long dataFileBytes) {
        Map<String, External> out = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            String what = file + ": weight '" + t.getName() + "'";
            Map<String, String> info = new HashMap<>();
            for (StringStringEntryProto e : t.getExternalDataList()) {
                info.put(e.getKey(), e.getValue());
            }
            String location = info.get(WeightsFile.LOCATION);
            if (!BundleFiles.WEIGHTS.equals(location)) {
                throw new BundleException(what + " is stored in '" + location + "', expected "
                        + BundleFiles.WEIGHTS);
            }
            if (dataFileBytes < 0) {
                throw new BundleException(what + " is stored in " + BundleFiles.WEIGHTS + ", which "
                        + BundleFiles.CARD + " does not list");
            }
            if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
                throw new BundleException(what + " has data type " + t.getDataType() + ", expected float32 (1)");
            }
            long offset = number(what, info, WeightsFile.OFFSET, 0);
            long count = 1;
            for (long d : t.getDimsList()) {
                if (d < 0) {
                    throw new BundleException(what + " has dims " + t.getDimsList());
                }
                count = Math.multiplyExact(count, d);
            }
            long length = number(what, info, WeightsFile.LENGTH, 4 * count);
            if (length != 4 * count) {
                throw new BundleException(what + " is " + length + " bytes long in " + BundleFiles.WEIGHTS
                        + ", its dims " + t.getDimsList() + " need " + 4 * count);
            }
            if (offset < 0 || offset > dataFileBytes - length) {
                throw new BundleException(what + " lies at bytes " + offset + " to " + (offset + length) + " of "
                        + BundleFiles.WEIGHTS + ", outside its " + dataFileBytes + " bytes");
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            out.put(t.getName(), new External(t.getName(), dims, offset, length));
        }
        return out;
    }

    private static long number(String what, Map<String, String> info, String key, long absent) {
        String v = info.get(key);
        if (v == null) {
            return absent;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BundleException(what + " has external data " + key + " '" + v + "', not a number", e);
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
