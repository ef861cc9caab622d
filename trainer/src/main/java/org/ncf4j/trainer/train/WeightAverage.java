package org.ncf4j.trainer.train;

import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.optim.NamedArrays;

/**
 * The mean of a model's parameters over the epochs added so far (tail averaging of the weights, as in stochastic
 * weight averaging: {@code ncf-train --average-from}), held in a second model of the same shape, which is evaluated,
 * chosen and saved in the trained model's place while training goes on from the trained model's own parameters.
 * Part of a run's resume state.
 */
final class WeightAverage implements AutoCloseable {
    private final NcfModel trained;
    private final long seed;
    private final Map<String, float[]> mean = new LinkedHashMap<>();
    private NcfModel averaged;
    private int count;

    /** @param trained the model whose parameters are averaged; {@code seed} initialises the mean's model */
    WeightAverage(NcfModel trained, long seed) {
        this.trained = trained;
        this.seed = seed;
    }

    /** Adds the trained model's parameters as they are now; returns the model holding the mean. */
    NcfModel add() {
        count++;
        for (Map.Entry<String, Parameter> p : trained.parameters().entrySet()) {
            float[] w = p.getValue().getArray().toFloatArray();
            float[] m = mean.get(p.getKey());
            if (m == null) {
                mean.put(p.getKey(), w);
            } else {
                for (int i = 0; i < w.length; i++) {
                    m[i] += (w[i] - m[i]) / count; // the running mean: no sum to lose precision in
                }
            }
        }
        return model();
    }

    /** The number of parameter sets averaged. */
    int count() {
        return count;
    }

    /** The model holding the mean; only once something was added. */
    NcfModel model() {
        if (count == 0) {
            throw new IllegalStateException("nothing averaged yet");
        }
        if (averaged == null) {
            // create() seeds PyTorch's generator again; harmless, as nothing after initialisation draws from it
            // (sampling and shuffling have their own seeded generators): an averaged run's losses are a plain run's
            averaged = NcfModel.create(trained.spec(), trained.device(), seed, 0f, 0f);
        }
        for (Map.Entry<String, Parameter> p : averaged.parameters().entrySet()) {
            p.getValue().getArray().set(FloatBuffer.wrap(mean.get(p.getKey())));
        }
        return averaged;
    }

    /** Writes the mean (one array per parameter, named {@code mean/<parameter>}), when something was added. */
    void write(DataOutputStream s) throws IOException {
        for (Map.Entry<String, float[]> m : mean.entrySet()) {
            NamedArrays.write(s, "mean/" + m.getKey(), m.getValue());
        }
    }

    /** Reads a mean of {@code count} parameter sets written by {@link #write}. */
    void read(DataInputStream s, int count) throws IOException {
        mean.clear();
        this.count = count;
        if (count == 0) {
            return;
        }
        for (Map.Entry<String, Parameter> p : trained.parameters().entrySet()) {
            float[] m = new float[Math.toIntExact(p.getValue().getArray().size())];
            NamedArrays.read(s, "mean/" + p.getKey(), m);
            mean.put(p.getKey(), m);
        }
    }

    @Override
    public void close() {
        if (averaged != null) {
            averaged.close();
        }
    }
}
