package org.ncf4j.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.contract.ModelShape;

/**
 * A model's parameters as plain row-major arrays, by the names {@link ModelShape#parameters} gives, so that graphs
 * and bundles can be built without an ML runtime. The constructor checks that every parameter of the shape is
 * there with the right number of values, and no other.
 *
 * @param shape the model's shape
 * @param values each parameter's values, row-major in the shape {@link ModelShape#parameters} gives
 */
public record ModelWeights(ModelShape shape, Map<String, float[]> values) {

    public ModelWeights {
        Map<String, long[]> expected = shape.parameters();
        if (!values.keySet().equals(expected.keySet())) {
            throw new IllegalArgumentException("the " + shape + " model has parameters " + expected.keySet()
                    + ", got " + values.keySet());
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long size = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (values.get(e.getKey()).length != size) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " of the " + shape + " model has "
                        + values.get(e.getKey()).length + " values, its shape " + Arrays.toString(e.getValue())
                        + " needs " + size);
            }
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the " + shape.variant().label() + " model has no parameter '" + name
                    + "', it has " + values.keySet());
        }
        return v;
    }

    /** The shape of one parameter. */
    public long[] dims(String name) {
        get(name);
        return shape.parameters().get(name);
    }

    /** Number of MLP linear layers (one fewer than the layer sizes). */
    public int mlpLayers() {
        return shape.variant().hasMlp() ? shape.layers().length - 1 : 0;
    }
}
