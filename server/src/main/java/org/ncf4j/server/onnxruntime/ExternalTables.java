package org.ncf4j.server.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ncf4j.bundle.FloatTable;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/**
 * Hands a graph's external tables to ONNX Runtime without a copy. {@code SessionOptions.addInitializer} takes a
 * tensor whose memory stays the caller's (ONNX Runtime's C API: "its lifetime and the underlying initializer buffer
 * must be managed by the user ... and it must outlive the session"), unlike {@code addExternalInitializers}, whose
 * data ONNX Runtime copies into the graph; a tensor created over a direct buffer in native order wraps that buffer.
 * So a session reads the bundle's mapped pages, the same the other session and the fused kernel read.
 */
final class ExternalTables {
    private ExternalTables() {
    }

    /**
     * Adds each external table of {@code graph} to {@code options}, over the mapped {@code tables}; the tensors
     * made go to {@code shared} (the caller closes them after the sessions).
     *
     * @return whether every external table was added; false when one is too large for one buffer (over 2 GB), so
     *     that ONNX Runtime must read it from the bundle's data file itself
     */
    static boolean add(OrtEnvironment env, OrtSession.SessionOptions options, byte[] graph,
                       Map<String, FloatTable> tables, List<OnnxTensor> shared) throws OrtException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(graph);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a verified graph does not parse", e);
        }
        boolean all = true;
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            FloatTable table = tables.get(t.getName());
            Optional<ByteBuffer> bytes = table == null ? Optional.empty() : table.bytes();
            if (bytes.isEmpty()) {
                all = false;
                continue;
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            OnnxTensor tensor = OnnxTensor.createTensor(env, bytes.get().asFloatBuffer(), dims);
            shared.add(tensor);
            options.addInitializer(t.getName(), tensor);
        }
        return all;
    }
}
