package org.ncf4j.trainer.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.TensorMemory;
import org.ncf4j.trainer.sampling.EpochExamples;
import org.ncf4j.trainer.settings.OptimizerKind;

/**
 * Runs one epoch of minibatch training: sigmoid binary cross-entropy on logits, then an optimizer step.
 *
 * <p>Adam on the CPU ("adam", the default, and "lazy-adam") runs on the embedding rows each batch uses, with one or
 * more workers ({@link SparseTrainer}). The dense optimizers ("dense-adam", "sgd", and Adam on a GPU) run the loop
 * below on whole tables, with one thread. The dense loop is kept lean because, for models this small, per-step overhead rather than arithmetic bounds the
 * speed: the epoch's examples go to the device once and are split into batch views in one call, the loss is
 * {@code mean(softplus(sign * logit))} (three operations, sign = -1 for positives and +1 for negatives), the
 * optimizer updates parameters in place and clears their gradients, and each step's temporaries are freed with
 * the step's memory scope.
 */
public final class EpochTrainer implements AutoCloseable {
    /** Told about progress every few steps. */
    public interface Progress {
        void update(long examplesDone, double meanLoss);
    }

    private final NcfModel model;
    private final ParameterUpdate update;
    private final SparseTrainer sparse;
    private final int batchSize;
    private final String fallback;

    /**
     * @param model the model to train
     * @param optimizer {@link OptimizerKind#ADAM} (dense Adam's result at the cost of the embedding rows a batch
     *     uses, see {@link SparseTrainer}), {@code LAZY_ADAM} (the rows a batch uses only), {@code DENSE_ADAM}
     *     (every row every step) or {@code SGD} (dense)
     * @param learningRate the optimizer's step size
     * @param batchSize examples per step, at least 1 (as {@link org.ncf4j.trainer.settings.TrainConfig} checks)
     * @param threads training workers, at least 1; more than one needs an optimizer by rows on the CPU
     */
    public EpochTrainer(NcfModel model, OptimizerKind optimizer, float learningRate, int batchSize, int threads) {
        this(model, optimizer, learningRate, batchSize, threads, name -> true);
    }

    /**
     * As above, training only the parameters {@code trains} accepts (by name); the others keep their values and
     * get no gradient.
     */
    public EpochTrainer(NcfModel model, OptimizerKind optimizer, float learningRate, int batchSize, int threads,
                        java.util.function.Predicate<String> trains) {
        this.model = model;
        this.batchSize = batchSize;
        boolean rowWise = optimizer.byRows();
        if (rowWise && SparseTrainer.supports(model)) {
            this.sparse = new SparseTrainer(model, learningRate, batchSize, threads,
                    optimizer == OptimizerKind.ADAM, trains);
            this.update = null;
            this.fallback = null;
            return;
        }
        if (threads > 1) {
            throw new IllegalArgumentException("--threads " + threads + " needs --optimizer adam or lazy-adam on "
                    + "the CPU (" + optimizer + " trains with one thread)");
        }
        this.sparse = null;
        this.fallback = rowWise ? optimizer + " by rows needs float32 parameters on the CPU; " + model.device()
                + " trains with DJL's dense Adam" : null;
        if (rowWise) {
            optimizer = OptimizerKind.DENSE_ADAM;
        }
        List<String> ids = new ArrayList<>();
        List<NDArray> weights = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            if (!trains.test(e.getKey())) {
                e.getValue().getArray().setRequiresGradient(false);
                continue;
            }
            NDArray w = e.getValue().getArray();
            w.setRequiresGradient(true);
            ids.add(e.getValue().getId());
            weights.add(w);
        }
        this.update = updater(optimizer, learningRate, ids, weights);
    }

    private static ParameterUpdate updater(OptimizerKind optimizer, float lr, List<String> ids,
                                           List<NDArray> weights) {
        if (optimizer == OptimizerKind.DENSE_ADAM && CpuAdam.supports(weights)) {
            return new CpuAdam(weights, lr, 0.9f, 0.999f, 1e-8f);
        }
        Optimizer djl = optimizer == OptimizerKind.SGD
                ? Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).build()
                : Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
        return new DjlOptimizerUpdate(djl, ids, weights, optimizer);
    }

    /** Names the parameters holding NaN or infinite values, for the divergence message. */
    private String nonFinite() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            NDArray a = e.getValue().getArray();
            boolean finite = TensorMemory.supports(a) ? TensorMemory.of(a).allFinite()
                    : a.isInfinite().logicalOr(a.isNaN()).none().getBoolean();
            if (!finite) {
                sb.append(sb.length() == 0 ? "; non-finite values in " : ", ").append(e.getKey());
            }
        }
        return sb.toString();
    }

    /** Ends the training workers (the row-wise optimizers keep theirs from epoch to epoch). */
    @Override
    public void close() {
        if (sparse != null) {
            sparse.close();
        }
    }

    /** Which optimizer implementation runs, for logs. */
    public String optimizerDescription() {
        return sparse != null ? sparse.describe() : update.describe() + (fallback == null ? "" : " (" + fallback + ")");
    }

    /** Null when the optimizer's state can be saved between epochs and a run resumed, else why not. */
    public String notResumable() {
        return sparse != null ? null : update.notResumable();
    }

    /** Writes the optimizer's state, between epochs. */
    public void writeState(DataOutputStream out) throws IOException {
        if (sparse != null) {
            sparse.writeState(out);
        } else {
            update.writeState(out);
        }
    }

    /** Reads what {@link #writeState} wrote, before the next epoch. */
    public void readState(DataInputStream in) throws IOException {
        if (sparse != null) {
            sparse.readState(in);
        } else {
            update.readState(in);
        }
    }

    /** Trains on the examples in their order and returns the mean loss over batches. */
    public double train(EpochExamples examples, Progress progress) {
        if (sparse != null) {
            try {
                return sparse.train(examples, progress);
            } catch (IllegalStateException e) {
                throw e.getMessage() != null && e.getMessage().startsWith("training diverged")
                        ? new IllegalStateException(e.getMessage() + nonFinite(), e) : e;
            }
        }
        int n = examples.size();
        int steps = (n + batchSize - 1) / batchSize;
        long[] cuts = new long[steps - 1];
        for (int s = 1; s < steps; s++) {
            cuts[s - 1] = (long) s * batchSize;
        }
        double lossSum = 0;
        try (NDManager epoch = model.manager().newSubManager();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDList users = epoch.create(examples.users()).split(cuts);
            NDList items = epoch.create(examples.items()).split(cuts);
            NDList signs = epoch.create(examples.signs()).split(cuts);
            int report = Math.max(1, steps / 200);
            for (int s = 0; s < steps; s++) {
                try (NDManager step = epoch.newSubManager()) {
                    NDArray u = users.get(s);
                    NDArray it = items.get(s);
                    NDArray sign = signs.get(s);
                    u.attach(step);
                    it.attach(step);
                    sign.attach(step);
                    NDList out = model.forwardTraining(u, it);
                    NDArray loss = out.get(0).mul(sign).getNDArrayInternal().softPlus().mean();
                    NDArray objective = out.size() > 1 ? loss.add(out.get(1)) : loss;
                    collector.backward(objective);
                    float value = loss.getFloat();
                    if (!Float.isFinite(value)) {
                        throw new IllegalStateException(String.format("training diverged at step %d of %d: the "
                                + "loss is %s%s; try a lower --lr", s + 1, steps, value, nonFinite()));
                    }
                    update.step();
                    lossSum += value;
                }
                if (progress != null && ((s + 1) % report == 0 || s + 1 == steps)) {
                    progress.update(Math.min(n, (long) (s + 1) * batchSize), lossSum / (s + 1));
                }
            }
        }
        return lossSum / steps;
    }
}
