package org.ncf4j.server.kernel;

import static org.ncf4j.contract.TensorNames.MLP_0_ITEM_SIDE;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.Map;
import org.ncf4j.bundle.FloatTable;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/**
 * The float constants of a ranking graph from ncf4j's exporter, read from the graph's initializers (inline, or the
 * bundle's mapped tables for those stored as external data, without a copy) and checked against those the card's
 * shape implies ({@link ModelShape#rankingConstants}): each one present, with as many values as its shape holds,
 * and the first MLP layer's item side in the current layout, [width, items].
 */
final class GraphConstants {
    private final Map<String, FloatTable> values;

    private GraphConstants(Map<String, FloatTable> values) {
        this.values = values;
    }

    /**
     * The constants of {@code rankGraph} for a model of {@code shape}.
     *
     * @param tables the bundle's tables stored as external data, by name
     *
     * @throws IllegalArgumentException saying why the kernel cannot compute this graph: it does not parse, another
     *     program made it, or a constant is missing, of another size or in an older layout
     */
    static GraphConstants read(byte[] rankGraph, Map<String, FloatTable> tables, ModelShape shape) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(rankGraph);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the ranking graph does not parse: " + e.getMessage(), e);
        }
        if (!model.getProducerName().equals(GraphIO.PRODUCER)) {
            throw new IllegalArgumentException("the ranking graph was made by '" + model.getProducerName()
                    + "', not by ncf4j's exporter");
        }
        Map<String, TensorProto> floats = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber() && (!t.getRawData().isEmpty()
                    || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)) {
                floats.put(t.getName(), t);
                String table = TensorNames.pieceTable(t.getName());
                if (table != null && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    // a table declared in pieces: the bundle maps it whole, under its own name
                    floats.putIfAbsent(table, t);
                }
            }
        }
        Map<String, FloatTable> values = new HashMap<>();
        shape.rankingConstants().forEach((name, dims) -> {
            TensorProto t = floats.get(name);
            if (t == null) {
                throw new IllegalArgumentException("the ranking graph has no float constant '" + name + "'");
            }
            FloatTable v = t.getDataLocation() == TensorProto.DataLocation.EXTERNAL ? tables.get(name)
                    : FloatTable.of(t.getRawData().asReadOnlyByteBuffer());
            if (v == null) {
                throw new IllegalArgumentException("the ranking graph's " + name + " is external data the bundle "
                        + "did not map");
            }
            long expected = 1;
            for (long d : dims) {
                expected *= d;
            }
            if (v.size() != expected) {
                throw new IllegalArgumentException("the ranking graph's " + name + " has " + v.size()
                        + " values, expected " + expected);
            }
            values.put(name, v);
        });
        long[] itemSide = shape.rankingConstants().get(MLP_0_ITEM_SIDE);
        if (itemSide != null && rows(floats.get(MLP_0_ITEM_SIDE)) != itemSide[0]) {
            // the same number of values either way: bundles exported before this layout have [items, width]
            throw new IllegalArgumentException(MLP_0_ITEM_SIDE + " is [items, width], an older layout");
        }
        return new GraphConstants(values);
    }

    /** A constant the shape implies, its values in row-major order where the bundle keeps them. */
    FloatTable get(String name) {
        FloatTable v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("the model's shape has no ranking constant '" + name + "'");
        }
        return v;
    }

    /** A small constant's values, copied into the heap. */
    float[] array(String name) {
        return get(name).toArray();
    }

    private static long rows(TensorProto t) {
        return t.getDimsCount() > 0 ? t.getDims(0) : 1;
    }
}
