package org.ncf4j.server.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ncf4j.bundle.ExternalData;
import org.ncf4j.bundle.MappedWeights;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/**
 * Hands a graph's external initializers to ONNX Runtime without a copy. {@code SessionOptions.addInitializer}
 * takes a tensor whose memory stays the caller's (ONNX Runtime's C API: "its lifetime and the underlying
 * initializer buffer must be managed by the user ... and it must outlive the session"), unlike
 * {@code addExternalInitializers}, whose data ONNX Runtime copies into the graph; a tensor created over a direct
 * buffer in native order wraps that buffer. Each initializer's bytes are the range its external data names, taken
 * from the bundle's mapping of the data file ({@link MappedWeights#range}): a whole table, or one of the pieces a
 * graph declares a large table in. So a session reads the bundle's mapped pages, the same the other session and the
 * fused kernel read.
 */
final class ExternalTables {
    private ExternalTables() {
    }

    /**
     * Adds each external initializer of {@code graph} to {@code options}, over the bundle's mapped data file; the
     * tensors made go to {@code shared} (the caller closes them after the sessions).
     *
     * @return the initializers not added, none when all were: those whose range no one mapping holds (a table over
     *     2 GB that the graph names whole), which ONNX Runtime must then read from the bundle's data file itself
     */
    static List<String> add(OrtEnvironment env, OrtSession.SessionOptions options, byte[] graph,
                            MappedWeights weights, List<OnnxTensor> shared) throws OrtException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(graph);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a verified graph does not parse", e);
        }
        List<String> left = new ArrayList<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            ExternalData range = ExternalData.of(t, "weight '" + t.getName() + "'");
            Optional<ByteBuffer> bytes = weights.range(range.offset(), range.length());
            if (bytes.isEmpty()) {
                left.add(t.getName() + " (" + range.length() + " bytes)");
                continue;
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            OnnxTensor tensor = OnnxTensor.createTensor(env, bytes.get().asFloatBuffer(), dims);
            shared.add(tensor);
            options.addInitializer(t.getName(), tensor);
        }
        return left;
    }
}
