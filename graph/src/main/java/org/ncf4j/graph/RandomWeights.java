package org.ncf4j.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;

/**
 * Seeded random weights for a model shape: embeddings from N(0, 0.5), layer weights and biases uniform in
 * (-0.5, 0.5). Large enough that scores spread over (0, 1), so rankings are not ties. For tests and benchmarks
 * that need a servable model of a given size without training one.
 */
public final class RandomWeights {
    private RandomWeights() {
    }

    public static ModelWeights of(ModelShape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        shape.parameters().forEach((name, dims) -> {
            long size = 1;
            for (long d : dims) {
                size *= d;
            }
            float[] v = new float[Math.toIntExact(size)];
            boolean embedding = TensorNames.isEmbedding(name);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (embedding ? 0.5 * random.nextGaussian() : random.nextDouble() - 0.5);
            }
            values.put(name, v);
        });
        return new ModelWeights(shape, values);
    }
}
