package org.ncf4j.trainer.train;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.eval.EvalResult;
import org.ncf4j.trainer.eval.EvalThreads;
import org.ncf4j.trainer.eval.EvalUsers;
import org.ncf4j.trainer.eval.SampledEvaluator;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.optim.EpochTrainer;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.sampling.EpochExamples;
import org.ncf4j.trainer.sampling.NegativeSampler;
import org.ncf4j.trainer.settings.TrainConfig;

/**
 * Trains and evaluates a run's epochs one after the other, each next epoch's negatives sampled on a background
 * thread while the current one trains. After an epoch the model evaluated (and kept, when it is the best) is the
 * trained model, or from {@code --average-from} on the mean of its parameters since ({@link WeightAverage}).
 */
final class EpochLoop implements AutoCloseable {
    /** Pairs per forward pass when evaluating, here and in the full ranking at the end. */
    static final int EVAL_BATCH = 1 << 14;

    /** An epoch's figures and the model they are of. */
    record Epoch(EpochRecord record, NcfModel evaluated) {
    }

    private final TrainConfig config;
    private final NcfModel model;
    private final EpochTrainer trainer;
    private final WeightAverage average;
    private final RunClock clock;
    private final TrainingRun.Listener listener;
    private final NegativeSampler sampler;
    private final SampledEvaluator test;
    private final SampledEvaluator validation;
    private final EvalThreads evalThreads;
    private final ExecutorService sampling = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "negative-sampler");
        t.setDaemon(true);
        return t;
    });
    private Future<EpochExamples> next;

    /**
     * Starts sampling the first epoch to train, {@code epochsDone + 1}.
     *
     * @param average the mean of the parameters, which the epochs from {@code config.averageFrom()} on add to
     */
    EpochLoop(Split split, EvalUsers users, TrainConfig config, NcfModel model, EpochTrainer trainer,
              WeightAverage average, int epochsDone, RunClock clock, TrainingRun.Listener listener) {
        this.config = config;
        this.model = model;
        this.trainer = trainer;
        this.average = average;
        this.clock = clock;
        this.listener = listener;
        this.sampler = new NegativeSampler(split.train(), config.negatives(), config.seed());
        this.evalThreads = new EvalThreads(config.threads());
        this.test = new SampledEvaluator(users.test(), config.topK(), EVAL_BATCH, evalThreads);
        this.validation = users.validation() == null ? null
                : new SampledEvaluator(users.validation(), config.topK(), EVAL_BATCH, evalThreads);
        listener.message(users.describe(config.threads()));
        // sampler.sample(e) holds the examples of epoch e + 1
        this.next = sampling.submit(() -> sampler.sample(epochsDone));
    }

    /** The model as initialised, before any training: epoch 0, with no loss or speed. */
    EpochRecord initial() {
        EvalResult t = test.evaluate(model);
        EvalResult v = validation == null ? null : validation.evaluate(model);
        listener.message(String.format("the initialised model, before training: HR@%d %.4f NDCG@%d %.4f%s",
                config.topK(), t.hitRate(), config.topK(), t.ndcg(), v == null ? ""
                        : String.format(" (validation HR %.4f NDCG %.4f)", v.hitRate(), v.ndcg())));
        return new EpochRecord(0, 0, t.hitRate(), t.ndcg(), v == null ? null : v.hitRate(),
                v == null ? null : v.ndcg(), 0, 0, t.seconds() + (v == null ? 0 : v.seconds()), 0, clock.seconds());
    }

    /** Trains {@code epoch} (the one after the last trained) and evaluates the model it gives. */
    Epoch train(int epoch) throws IOException {
        long w0 = System.nanoTime();
        EpochExamples examples = await(next);
        double waited = (System.nanoTime() - w0) / 1e9;
        if (epoch < config.epochs()) {
            next = sampling.submit(() -> sampler.sample(epoch));
        }
        listener.epochStarted(epoch, config.epochs(), examples.size());
        long t0 = System.nanoTime();
        double loss = trainer.train(examples, listener::progress);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        NcfModel evaluated = config.averages(epoch) ? average.add() : model;
        EvalResult t = test.evaluate(evaluated);
        EvalResult v = validation == null ? null : validation.evaluate(evaluated);
        EpochRecord record = new EpochRecord(epoch, loss, t.hitRate(), t.ndcg(), v == null ? null : v.hitRate(),
                v == null ? null : v.ndcg(), examples.size() / trainSeconds, trainSeconds,
                t.seconds() + (v == null ? 0 : v.seconds()), waited, clock.seconds());
        return new Epoch(record, evaluated);
    }

    /** Stops the sampling thread. */
    @Override
    public void close() {
        sampling.shutdownNow();
        evalThreads.close();
    }

    private static EpochExamples await(Future<EpochExamples> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sampling negatives", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("negative sampling failed: " + e.getCause(), e.getCause());
        }
    }
}
