package org.ncf4j.server.grpc;

import org.ncf4j.api.inference.DataType;
import org.ncf4j.api.inference.ModelConfig;
import org.ncf4j.api.inference.ModelInput;
import org.ncf4j.api.inference.ModelOutput;
import org.ncf4j.server.inference.InferenceModels.TensorSpec;
import org.ncf4j.server.inference.InferenceService;

/**
 * A model's metadata as Triton's ModelConfig message (the model configuration extension): max_batch_size 0, so the
 * dims are the metadata's whole shapes, the batch dimension included as -1; the protocol's BYTES is TYPE_STRING.
 */
final class ModelConfigs {
    private ModelConfigs() {
    }

    static ModelConfig of(InferenceService.Metadata m) {
        ModelConfig.Builder b = ModelConfig.newBuilder().setName(m.name()).setPlatform(m.platform())
                .setBackend(InferenceService.BACKEND).setMaxBatchSize(0);
        for (TensorSpec t : m.inputs()) {
            ModelInput.Builder in = ModelInput.newBuilder().setName(t.name()).setDataType(type(t))
                    .setOptional(t.optional());
            for (long d : t.shape()) {
                in.addDims(d);
            }
            b.addInput(in);
        }
        for (TensorSpec t : m.outputs()) {
            ModelOutput.Builder out = ModelOutput.newBuilder().setName(t.name()).setDataType(type(t));
            for (long d : t.shape()) {
                out.addDims(d);
            }
            b.addOutput(out);
        }
        return b.build();
    }

    /** Triton's name of a protocol datatype: TYPE_ and the name, BYTES being TYPE_STRING. */
    private static DataType type(TensorSpec t) {
        return DataType.valueOf(InferenceService.configType(t.datatype()));
    }
}
