package org.ncf4j.trainer.export;

import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.trainer.model.ModelSpec;
import org.ncf4j.trainer.model.NcfModel;

/**
 * A copy of a model's parameters as plain arrays, by their stable names (see
 * {@link org.ncf4j.trainer.model.NcfBlock}), so the exporters need no ML runtime. Matrices are row-major with
 * the shapes DJL stores: embeddings [rows, width], linear weights [out, in].
 */
public record ModelWeights(ModelSpec spec, Map<String, float[]> values, Map<String, long[]> shapes) {

    public static ModelWeights of(NcfModel model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            values.put(e.getKey(), e.getValue().getArray().toFloatArray());
            shapes.put(e.getKey(), e.getValue().getArray().getShape().getShape());
        }
        return new ModelWeights(model.spec(), values, shapes);
    }

    public float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the " + spec.variant().label() + " model has no parameter '" + name
                    + "', it has " + values.keySet());
        }
        return v;
    }

    public long[] shape(String name) {
        get(name);
        return shapes.get(name);
    }

    /** Number of MLP linear layers (one fewer than the layer sizes). */
    public int mlpLayers() {
        return spec.variant().hasMlp() ? spec.layers().length - 1 : 0;
    }
}
