package org.ncf4j.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.bundle.FloatSource;
import org.ncf4j.contract.ModelShape;

/**
 * A model's parameters, row-major, by the names {@link ModelShape#parameters} gives, so that graphs and bundles can
 * be built without an ML runtime: as plain arrays ({@code values}), or, for tables too large to copy into the heap,
 * as sources read a block at a time when the bundle is written ({@code sources}, e.g. a trained model's own
 * tensors). The constructor checks that every parameter of the shape is there once with the right number of
 * values, and no other.
 *
 * @param shape the model's shape
 * @param values parameters given as arrays
 * @param sources parameters given as sources
 */
public record ModelWeights(ModelShape shape, Map<String, float[]> values, Map<String, FloatSource> sources) {

    public ModelWeights {
        Map<String, long[]> expected = shape.parameters();
        java.util.Set<String> given = new java.util.HashSet<>(values.keySet());
        given.addAll(sources.keySet());
        if (!given.equals(expected.keySet()) || given.size() != values.size() + sources.size()) {
            throw new IllegalArgumentException("the " + shape + " model has parameters " + expected.keySet()
                    + ", got " + values.keySet() + (sources.isEmpty() ? "" : " and " + sources.keySet()));
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long size = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            float[] v = values.get(e.getKey());
            long got = v != null ? v.length : sources.get(e.getKey()).size();
            if (got != size) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " of the " + shape + " model has "
                        + got + " values, its shape " + Arrays.toString(e.getValue()) + " needs " + size);
            }
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** Every parameter as an array. */
    public ModelWeights(ModelShape shape, Map<String, float[]> values) {
        this(shape, values, Map.of());
    }

    /** A parameter's values as an array: a copy when it was given as a source (of fewer than 2^31 values). */
    public float[] get(String name) {
        float[] v = values.get(name);
        if (v != null) {
            return v;
        }
        FloatSource s = sources.get(name);
        if (s == null) {
            throw new IllegalArgumentException("the " + shape.variant().label() + " model has no parameter '" + name
                    + "', it has " + shape.parameters().keySet());
        }
        float[] copy = new float[Math.toIntExact(s.size())];
        s.read(0, copy, 0, copy.length);
        return copy;
    }

    /** A parameter's values to be read a block at a time, wherever they are. */
    public FloatSource source(String name) {
        FloatSource s = sources.get(name);
        return s != null ? s : FloatSource.of(get(name));
    }

    /** The shape of one parameter. */
    public long[] dims(String name) {
        long[] dims = shape.parameters().get(name);
        if (dims == null) {
            throw new IllegalArgumentException("the " + shape.variant().label() + " model has no parameter '" + name
                    + "', it has " + shape.parameters().keySet());
        }
        return dims;
    }

    /** Number of MLP linear layers (one fewer than the layer sizes). */
    public int mlpLayers() {
        return shape.variant().hasMlp() ? shape.layers().length - 1 : 0;
    }
}
