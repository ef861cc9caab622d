package org.ncf4j.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.TensorMemory;
import org.ncf4j.trainer.optim.NamedArrays;

/**
 * The mean of a model's parameters over the epochs added so far (tail averaging of the weights, as in stochastic
 * weight averaging: {@code ncf-train --average-from}), held in a second model of the same shape, which is evaluated,
 * chosen and saved in the trained model's place while training goes on from the trained model's own parameters.
 * The mean lives in that model's own tensors (outside the heap, as large as the model), updated a block at a time.
 * Part of a run's resume state.
 */
final class WeightAverage implements AutoCloseable {
    /** Floats per block of the running mean's update. */
    private static final int BLOCK = 1 << 16;

    private final NcfModel trained;
    private final long seed;
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
        boolean first = averaged == null;
        Map<String, Parameter> mean = averagedModel().parameters();
        for (Map.Entry<String, Parameter> p : trained.parameters().entrySet()) {
            NDArray w = p.getValue().getArray();
            NDArray m = mean.get(p.getKey()).getArray();
            if (TensorMemory.supports(w) && TensorMemory.supports(m)) {
                TensorMemory into = TensorMemory.of(m);
                if (first) {
                    into.copyFrom(TensorMemory.of(w));
                } else {
                    addTo(into, TensorMemory.of(w), count);
                }
            } else if (first) {
                m.set(w.toFloatArray());
            } else {
                try (NDManager step = m.getManager().newSubManager()) { // on another device: DJL's operations
                    NDArray difference = w.sub(m);
                    difference.attach(step);
                    m.addi(difference.divi(count));
                }
            }
        }
        return averaged;
    }

    /** The running mean, {@code m += (w - m) / count}: no sum to lose precision in. */
    private static void addTo(TensorMemory mean, TensorMemory w, int count) {
        float[] mb = new float[(int) Math.min(BLOCK, mean.size())];
        float[] wb = new float[mb.length];
        for (long at = 0; at < mean.size(); at += mb.length) {
            int n = (int) Math.min(mb.length, mean.size() - at);
            mean.get(at, mb, 0, n);
            w.get(at, wb, 0, n);
            for (int i = 0; i < n; i++) {
                mb[i] += (wb[i] - mb[i]) / count;
            }
            mean.put(at, mb, 0, n);
        }
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
        return averaged;
    }

    private NcfModel averagedModel() {
        if (averaged == null) {
            // create() seeds PyTorch's generator again; harmless, as nothing after initialisation draws from it
            // (sampling and shuffling have their own seeded generators): an averaged run's losses are a plain run's
            averaged = NcfModel.create(trained.spec(), trained.device(), seed, 0f, 0f);
        }
        return averaged;
    }

    /** Writes the mean (one array per parameter, named {@code mean/<parameter>}), when something was added. */
    void write(DataOutputStream s) throws IOException {
        if (count == 0) {
            return;
        }
        for (Map.Entry<String, Parameter> m : averaged.parameters().entrySet()) {
            NamedArrays.write(s, "mean/" + m.getKey(), m.getValue().getArray());
        }
    }

    /** Reads a mean of {@code count} parameter sets written by {@link #write}. */
    void read(DataInputStream s, int count) throws IOException {
        this.count = count;
        if (count == 0) {
            return;
        }
        for (Map.Entry<String, Parameter> p : averagedModel().parameters().entrySet()) {
            NamedArrays.read(s, "mean/" + p.getKey(), p.getValue().getArray());
        }
    }

    @Override
    public void close() {
        if (averaged != null) {
            averaged.close();
        }
    }
}
