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
import java.util.TreeMap;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.onnx.OnnxProto.GraphProto;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.onnx.OnnxProto.ValueInfoProto;

/**
 * Checks that a bundle's ONNX graphs have the inputs and outputs {@link GraphIO} names and the weights the card's
 * shape implies ({@link ModelShape#parameters} for the scoring graph, {@link ModelShape#rankingConstants} for the
 * ranking graph), and that each weight stored as external data is float32, lies in the bundle's data file, inside
 * it, and is as long as its dims say. A table declared in pieces ({@link TensorNames#piece}) is checked as the
 * table its pieces make: pieces 0 to P-1, each following the one before in the data file (so that together they
 * cover one range exactly, in row order), all but the last as long as the first and the last at most that, alike
 * but for their rows. Returns the external weights by table name, pieces joined.
 */
final class GraphCheck {
    /**
     * A weight stored in the data file: its dims and where its bytes are.
     *
     * @param pieceLength the bytes of each of the pieces a graph declares it in but the last, or 0 when a graph
     *     declares it whole
     */
    record External(String name, long[] dims, long offset, long length, long pieceLength) {
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
        Map<String, List<Long>> dims = dims(name, g);
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
        Map<String, List<Long>> dims = dims(name, g);
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

    /**
     * The weights stored as external data, each checked (in the data file, inside it, of the right length), by
     * table name, pieces joined into their tables.
     */
    private static Map<String, External> externals(String file, GraphProto g, long dataFileBytes) {
        Map<String, External> out = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, External>> pieced = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            External e = external(file, t, dataFileBytes);
            String table = TensorNames.pieceTable(t.getName());
            if (table == null) {
                out.put(t.getName(), e);
            } else {
                pieced.computeIfAbsent(table, k -> new TreeMap<>()).put(TensorNames.pieceIndex(t.getName()), e);
            }
        }
        pieced.forEach((table, pieces) -> {
            if (out.containsKey(table)) {
                throw new BundleException(file + ": weight '" + table + "' is declared both whole and in pieces");
            }
            out.put(table, joined(file, table, pieces));
        });
        return out;
    }

    /** One initializer stored as external data, checked: in the data file, inside it, of the right length. */
    private static External external(String file, TensorProto t, long dataFileBytes) {
        String what = file + ": weight '" + t.getName() + "'";
        ExternalData data = ExternalData.of(t, what);
        if (!BundleFiles.WEIGHTS.equals(data.location())) {
            throw new BundleException(what + " is stored in '" + data.location() + "', expected "
                    + BundleFiles.WEIGHTS);
        }
        if (dataFileBytes < 0) {
            throw new BundleException(what + " is stored in " + BundleFiles.WEIGHTS + ", which "
                    + BundleFiles.CARD + " does not list");
        }
        if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
            throw new BundleException(what + " has data type " + t.getDataType() + ", expected float32 (1)");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long bytes = ExternalData.floatBytes(t, what);
        long offset = data.offset();
        long length = data.length();
        if (length != bytes) {
            throw new BundleException(what + " is " + length + " bytes long in " + BundleFiles.WEIGHTS
                    + ", its dims " + t.getDimsList() + " need " + bytes);
        }
        if (offset < 0 || offset > dataFileBytes - length) {
            throw new BundleException(what + " lies at bytes " + offset + " to " + (offset + length) + " of "
                    + BundleFiles.WEIGHTS + ", outside its " + dataFileBytes + " bytes");
        }
        return new External(t.getName(), dims, offset, length, 0);
    }

    /**
     * The table that {@code pieces} (by number, numbered from 0 without a gap: {@link #dims}) make, checked to be
     * one range of rows, in order.
     */
    private static External joined(String file, String table, TreeMap<Integer, External> pieces) {
        String what = file + ": weight '" + table + "'";
        External first = pieces.firstEntry().getValue();
        long rows = 0;
        long end = first.offset();
        for (Map.Entry<Integer, External> entry : pieces.entrySet()) {
            int p = entry.getKey();
            External e = entry.getValue();
            String piece = what + ": piece " + p;
            if (e.dims().length == 0 || e.dims()[0] < 1 || !Arrays.equals(e.dims(), 1, e.dims().length,
                    first.dims(), 1, first.dims().length)) {
                throw new BundleException(piece + " has dims " + Arrays.toString(e.dims()) + ", piece 0 "
                        + Arrays.toString(first.dims()) + ": pieces hold one row or more and differ in rows only");
            }
            if (e.offset() != end) {
                throw new BundleException(piece + " starts at byte " + e.offset() + " of " + BundleFiles.WEIGHTS
                        + ", where the pieces before it end at byte " + end + ": a table's pieces follow each "
                        + "other, in order");
            }
            boolean last = p == pieces.size() - 1;
            if (last ? e.length() > first.length() : e.length() != first.length()) {
                throw new BundleException(piece + " is " + e.length() + " bytes long, piece 0 " + first.length()
                        + ": all pieces but the last are as long as the first, the last at most that");
            }
            rows += e.dims()[0];
            end += e.length();
        }
        long[] dims = first.dims().clone();
        dims[0] = rows;
        return new External(table, dims, first.offset(), end - first.offset(), first.length());
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

    /**
     * Each initializer's dims by name, and those of each table declared in pieces: its pieces' rows added up, once
     * the pieces are checked to be numbered from 0 without a gap (their ranges are checked with the external
     * weights).
     */
    private static Map<String, List<Long>> dims(String file, GraphProto g) {
        Map<String, List<Long>> out = new HashMap<>();
        Map<String, TreeMap<Integer, List<Long>>> pieced = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            out.put(t.getName(), t.getDimsList());
            String table = TensorNames.pieceTable(t.getName());
            if (table != null) {
                pieced.computeIfAbsent(table, k -> new TreeMap<>()).put(TensorNames.pieceIndex(t.getName()),
                        t.getDimsList());
            }
        }
        pieced.forEach((table, pieces) -> {
            if (pieces.lastKey() != pieces.size() - 1) {
                throw new BundleException(file + ": weight '" + table + "' has pieces " + pieces.keySet() + "; a "
                        + "table's pieces are numbered from 0 without a gap");
            }
            List<Long> dims = new ArrayList<>(pieces.firstEntry().getValue());
            if (!dims.isEmpty()) {
                dims.set(0, pieces.values().stream().mapToLong(d -> d.isEmpty() ? 0 : d.get(0)).sum());
            }
            out.putIfAbsent(table, dims);
        });
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
