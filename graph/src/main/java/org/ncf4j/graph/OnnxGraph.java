package org.ncf4j.graph;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.FloatSource;
import org.ncf4j.bundle.WeightsFile;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.onnx.OnnxProto.AttributeProto;
import org.ncf4j.onnx.OnnxProto.GraphProto;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.NodeProto;
import org.ncf4j.onnx.OnnxProto.OperatorSetIdProto;
import org.ncf4j.onnx.OnnxProto.StringStringEntryProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.onnx.OnnxProto.TensorShapeProto;
import org.ncf4j.onnx.OnnxProto.TypeProto;
import org.ncf4j.onnx.OnnxProto.ValueInfoProto;

/**
 * Builds an ONNX graph node by node: initializers stored little-endian in {@code raw_data}, or, given a bundle's
 * data file, the model's tables ({@link TensorNames#isTable}) as external data in it, whole or in pieces
 * ({@link TablePieces}); each node named after its single output, inputs and outputs with symbolic dimensions
 * given as strings.
 */
final class OnnxGraph {
    /** ONNX IR version written: readable by ONNX Runtime 1.10+ and onnx 1.12's checker. */
    static final long IR_VERSION = 8;
    /** Default-domain operator set. */
    static final long OPSET = 17;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final WeightsFile weights;
    private final TablePieces pieces;

    /**
     * @param weights where the tables go, or null: every initializer inline
     * @param pieces which external tables a lookup declares in pieces
     */
    OnnxGraph(String name, String doc, WeightsFile weights, TablePieces pieces) {
        graph.setName(name).setDocString(doc);
        this.weights = weights;
        this.pieces = pieces;
    }

    TablePieces pieces() {
        return pieces;
    }

    String floats(String name, float[] data, long... dims) {
        if (external(name)) {
            return floats(name, FloatSource.of(data), dims);
        }
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return initializer(name, TensorProto.DataType.FLOAT, b, dims);
    }

    /** Whether the tensor {@code name} goes into the bundle's data file (a table, when there is a data file). */
    boolean external(String name) {
        return weights != null && TensorNames.isTable(name);
    }

    /** A table read a block at a time when the data file is written; inline (a copy) when there is no data file. */
    String floats(String name, FloatSource data, long... dims) {
        if (external(name)) {
            WeightsFile.Entry e = weights.add(name, data);
            return externalInitializer(name, e.offset(), e.length(), dims);
        }
        float[] values = new float[Math.toIntExact(data.size())];
        data.read(0, values, 0, values.length);
        return floats(name, values, dims);
    }

    /**
     * An external table ({@link #external}) stored once, whole, in the data file, and declared as initializers of
     * {@code rowsPerPiece} consecutive rows each (the last may hold fewer), named {@link TensorNames#piece}.
     *
     * @param dims the whole table's dims, rows first
     * @return the pieces' names, in row order
     */
    List<String> floatPieces(String table, FloatSource data, long rowsPerPiece, long... dims) {
        if (!external(table)) {
            throw new IllegalStateException(table + " is not stored in a data file, so it is not split");
        }
        WeightsFile.Entry e = weights.add(table, data);
        long rows = dims[0];
        long rowBytes = e.length() / rows;
        List<String> names = new ArrayList<>();
        for (long first = 0; first < rows; first += rowsPerPiece) {
            long n = Math.min(rowsPerPiece, rows - first);
            long[] pieceDims = dims.clone();
            pieceDims[0] = n;
            names.add(externalInitializer(TensorNames.piece(table, names.size()), e.offset() + first * rowBytes,
                    n * rowBytes, pieceDims));
        }
        return names;
    }

    /** A float32 initializer whose bytes are {@code length} bytes at {@code offset} of the data file. */
    private String externalInitializer(String name, long offset, long length, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT
                .getNumber()).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry(WeightsFile.LOCATION, BundleFiles.WEIGHTS))
                .addExternalData(entry(WeightsFile.OFFSET, Long.toString(offset)))
                .addExternalData(entry(WeightsFile.LENGTH, Long.toString(length)));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    String longs(String name, long[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        return initializer(name, TensorProto.DataType.INT64, b, dims);
    }

    private String initializer(String name, TensorProto.DataType type, ByteBuffer bytes, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** Adds {@code output = op(inputs...)} and returns the output's name. */
    String node(String op, String output, List<String> inputs, AttributeProto... attributes) {
        return node(op, List.of(output), inputs, attributes).get(0);
    }

    List<String> node(String op, List<String> outputs, List<String> inputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(outputs.get(0)).addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return outputs;
    }

    void input(String name, TensorProto.DataType type, String doc, Object... dims) {
        graph.addInput(valueInfo(name, type, doc, dims));
    }

    void output(String name, TensorProto.DataType type, String doc, Object... dims) {
        graph.addOutput(valueInfo(name, type, doc, dims));
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, String doc, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setDocString(doc).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value)
                .build();
    }

    static AttributeProto attr(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value)
                .build();
    }

    /** The model around the graph, with the card's entries as metadata properties. */
    ModelProto model(String producerVersion, String doc, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName(GraphIO.PRODUCER)
                .setProducerVersion(producerVersion).setDomain("org.ncf4j").setModelVersion(1).setDocString(doc)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }
}
