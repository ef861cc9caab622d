package org.ncf4j.server.kernel;

import static org.ncf4j.contract.TensorNames.MLP_0_ITEM_SIDE;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/**
 * The float constants of a ranking graph from ncf4j's exporter, read from the graph's initializers and checked
 * against those the card's shape implies ({@link ModelShape#rankingConstants}): each one present, with as many
 * values as its shape holds, and the first MLP layer's item side in the current layout, [width, items].
 */
final class GraphConstants {
    private final Map<String, float[]> values;

    private GraphConstants(Map<String, float[]> values) {
        this.values = values;
    }

    /**
     * The constants of {@code rankGraph} for a model of {@code shape}.
     *
     * @throws IllegalArgumentException saying why the kernel cannot compute this graph: it does not parse, another
     *     program made it, or a constant is missing, of another size or in an older layout
     */
    static GraphConstants read(byte[] rankGraph, ModelShape shape) {
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
            if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber() && !t.getRawData().isEmpty()) {
                floats.put(t.getName(), t);
            }
        }
        Map<String, float[]> values = new HashMap<>();
        shape.rankingConstants().forEach((name, dims) -> {
            TensorProto t = floats.get(name);
            if (t == null) {
                throw new IllegalArgumentException("the ranking graph has no float constant '" + name + "'");
            }
            float[] v = decode(t);
            long expected = 1;
            for (long d : dims) {
                expected *= d;
            }
            if (v.length != expected) {
                throw new IllegalArgumentException("the ranking graph's " + name + " has " + v.length
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

    /** A constant the shape implies, as its values in row-major order. */
    float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("the model's shape has no ranking constant '" + name + "'");
        }
        return v;
    }

    private static float[] decode(TensorProto t) {
        FloatBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    private static long rows(TensorProto t) {
        return t.getDimsCount() > 0 ? t.getDims(0) : 1;
    }
}
