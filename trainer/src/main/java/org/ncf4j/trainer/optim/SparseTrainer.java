package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.trainer.model.NcfBlock;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.TensorMemory;
import org.ncf4j.trainer.sampling.EpochExamples;

/**
 * Training whose step costs the same whatever the number of users and items: each step gathers the batch's
 * embedding rows into small tensors, runs the model and its backward pass on them, updates only those rows with
 * lazy Adam ({@link EmbeddingTable}) and the dense layers with fused Adam ({@link CpuAdam}). No gradient of a whole
 * table is ever formed.
 *
 * <p>With several workers, each trains blocks of the epoch's (shuffled) examples whose users and items no other
 * worker is training at the time ({@link BlockSchedule}), and all update the same parameters without waiting for
 * each other (Hogwild, as word2vec and LightFM train): each worker computes its
 * gradients on its own tensors, which share the weights' memory, and the dense update (a few thousand numbers) is
 * serialised. One worker gives the same result for the same seed every time; several do not, since the order in
 * which their updates interleave varies.
 */
final class SparseTrainer implements AutoCloseable {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final NcfModel model;
    private final float learningRate;
    private final int batchSize;
    private final int workers;
    /** The tables in the order of {@link NcfBlock.Rows}: GMF user, GMF item, MLP user, MLP item (null if absent). */
    private final EmbeddingTable[] tables = new EmbeddingTable[4];
    private final List<Parameter> dense = new ArrayList<>();
    /** Layers that keep their values (read through leaves without gradients). */
    private final List<Parameter> frozen = new ArrayList<>();
    /** Which of {@link #tables} keep their values. */
    private final boolean[] frozenTables = new boolean[4];
    private final CpuAdam denseAdam;
    /** The optimizer's state outside the heap (the tables' moments), freed by {@link #close}. */
    private final NDManager state;
    /** Steps taken so far by all workers: Adam's t. */
    private final AtomicLong steps = new AtomicLong();

    private final boolean catchUp;
    /** How the workers share an epoch's examples, set at the first epoch. */
    private BlockSchedule schedule;
    /**
     * The workers, kept from epoch to epoch: glibc gives each new thread a malloc arena of its own and keeps what an
     * arena once held, so a pool made per epoch grew the process by an arena's peak every epoch (about 1 GB per
     * epoch of a pretrained NeuMF whose output layer alone trained, until the kernel killed it).
     */
    private ExecutorService pool;

    /**
     * @param catchUp whether embedding rows take the zero-gradient steps they skipped (dense Adam's result, the
     *     "adam" optimizer) or not (lazy Adam, "lazy-adam")
     */
    SparseTrainer(NcfModel model, float learningRate, int batchSize, int workers, boolean catchUp) {
        this(model, learningRate, batchSize, workers, catchUp, name -> true);
    }

    /** As above, training only the parameters {@code trains} accepts; the others get no gradient. */
    SparseTrainer(NcfModel model, float learningRate, int batchSize, int workers, boolean catchUp,
                  java.util.function.Predicate<String> trains) {
        this.model = model;
        this.catchUp = catchUp;
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.workers = workers;
        List<String> order = List.of(TensorNames.GMF_USER_EMBEDDING, TensorNames.GMF_ITEM_EMBEDDING,
                TensorNames.MLP_USER_EMBEDDING, TensorNames.MLP_ITEM_EMBEDDING);
        List<NDArray> denseArrays = new ArrayList<>();
        SkippedSteps skipped = catchUp ? new SkippedSteps(learningRate, BETA1, BETA2) : null;
        state = model.manager().newSubManager();
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            if (NcfBlock.isEmbedding(e.getKey())) {
                tables[order.indexOf(e.getKey())] = new EmbeddingTable(e.getKey(), e.getValue().getArray(),
                        state, skipped);
                frozenTables[order.indexOf(e.getKey())] = !trains.test(e.getKey());
            } else if (trains.test(e.getKey())) {
                dense.add(e.getValue());
                denseArrays.add(e.getValue().getArray());
            } else {
                frozen.add(e.getValue());
            }
        }
        denseAdam = new CpuAdam(denseArrays, learningRate, BETA1, BETA2, EPSILON);
    }

    /** Whether the model's parameters allow it (float32 tensors on the CPU). */
    static boolean supports(NcfModel model) {
        return model.parameters().values().stream().allMatch(p -> TensorMemory.supports(p.getArray()));
    }

    String describe() {
        return (catchUp ? "adam (embedding rows a batch uses, skipped steps caught up; layers: fused Adam; "
                : "lazy-adam (embedding rows a batch uses: lazy Adam; layers: fused Adam; ") + workers
                + (workers == 1 ? " worker)" : " Hogwild workers)");
    }

    /** Writes the step count and the moments of the layers and of every table (between epochs). */
    void writeState(DataOutputStream out) throws IOException {
        NamedArrays.write(out, "steps", new long[] {steps.get()});
        denseAdam.writeState(out);
        for (EmbeddingTable table : tables) {
            if (table != null) {
                table.writeState(out);
            }
        }
    }

    void readState(DataInputStream in) throws IOException {
        long[] t = new long[1];
        NamedArrays.read(in, "steps", t);
        steps.set(t[0]);
        denseAdam.readState(in);
        for (EmbeddingTable table : tables) {
            if (table != null) {
                table.readState(in);
            }
        }
    }

    /** Trains on the examples and returns the mean loss over steps. */
    double train(EpochExamples examples, EpochTrainer.Progress progress) {
        if (schedule == null) {
            schedule = BlockSchedule.of(examples, rows(0), rows(1), workers);
        }
        BlockSchedule.Epoch blocks = schedule.start(examples);
        DoubleAdder lossSum = new DoubleAdder();
        AtomicLong stepsDone = new AtomicLong();
        AtomicLong examplesDone = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        if (pool == null) {
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "training-worker");
                t.setDaemon(true);
                return t;
            });
        }
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    work(blocks, lossSum, stepsDone, examplesDone, stop);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                while (true) {
                    try {
                        f.get(200, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException e) {
                        report(progress, examplesDone, lossSum, stepsDone);
                    }
                }
            }
            AdamStep last = AdamStep.at(Math.max(1, steps.get()), learningRate, BETA1, BETA2, EPSILON);
            for (EmbeddingTable table : tables) {
                if (table != null) {
                    table.catchUpAll(last);
                }
            }
            report(progress, examplesDone, lossSum, stepsDone);
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            stop.set(true);
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } finally {
            stop.set(true);
            awaitAll(running); // after a failure, the other workers end their step before the epoch returns
        }
        return lossSum.sum() / Math.max(1, stepsDone.get());
    }

    /** Waits for every worker of an epoch to end, whatever its outcome (an interrupt is kept for the caller). */
    private static void awaitAll(List<Future<?>> running) {
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (!f.isDone()) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    break; // reported by the caller's own wait
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the workers (between epochs; a trainer is not used after). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state.close();
    }

    private static void report(EpochTrainer.Progress progress, AtomicLong examples, DoubleAdder loss,
                               AtomicLong steps) {
        long s = steps.get();
        if (progress != null && s > 0) {
            progress.update(examples.get(), loss.sum() / s);
        }
    }

    /** The number of users ({@code side} 0) or items (1): the rows of that side's tables. */
    private int rows(int side) {
        return tables[side] != null ? tables[side].rows() : tables[side + 2].rows();
    }

    /** One worker's part of an epoch: blocks of examples as the schedule gives them, in batches. */
    private void work(BlockSchedule.Epoch blocks, DoubleAdder lossSum, AtomicLong stepsDone, AtomicLong examplesDone,
                      AtomicBoolean stop) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(true); // per thread in PyTorch
        if (JniUtils.getNumThreads() != 1) {
            // OpenMP's thread count is per thread: a new thread would run every operator on all cores, its
            // spinning helpers competing with the other workers
            JniUtils.setNumThreads(1);
        }
        try (TrainingWorker worker = new TrainingWorker(model, tables, frozenTables, dense, frozen, denseAdam,
                batchSize)) {
            BlockSchedule.Block block = blocks.next(null);
            while (block != null && !stop.get()) {
                int n = worker.fill(block);
                if (n == 0) {
                    block = blocks.next(block);
                    continue;
                }
                long t = steps.incrementAndGet();
                float value = worker.step(n, AdamStep.at(t, learningRate, BETA1, BETA2, EPSILON),
                        stepsDone.get() + 1);
                lossSum.add(value);
                stepsDone.incrementAndGet();
                examplesDone.addAndGet(n);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
