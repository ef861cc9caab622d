package org.ncf4j.trainer.eval;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads an evaluation scores on: forward passes without gradients, one PyTorch thread each (as training's
 * workers), over chunks of users handed out one at a time. Each chunk writes its users' ranks by row, so the
 * figures, summed in row order afterwards, are the same whatever the chunking and the number of threads. The
 * threads are kept for the run (a new thread per evaluation would grow the process by a malloc arena each time).
 */
public final class EvalThreads implements AutoCloseable {
    /** One chunk's work: rows {@code [from, to)}, on worker {@code worker} (for its scratch buffers). */
    interface Chunk {
        void run(int worker, int from, int to);
    }

    private final int threads;
    private ExecutorService pool;

    /** @param threads how many threads score at once, at least 1 */
    public EvalThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("evaluation threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code chunk} over rows {@code [0, rows)} in chunks of {@code size}, on every thread. */
    void forChunks(int rows, int size, Chunk chunk) {
        AtomicInteger next = new AtomicInteger();
        int workers = (int) Math.min(threads, (rows + (long) size - 1) / size);
        if (workers <= 1) {
            work(0, rows, size, next, chunk);
            return;
        }
        if (pool == null) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "evaluation-worker");
                t.setDaemon(true);
                return t;
            });
        }
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            running.add(pool.submit(() -> work(worker, rows, size, next, chunk)));
        }
        RuntimeException failure = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                next.set(rows);
                failure = new IllegalStateException("interrupted while evaluating", e);
            } catch (ExecutionException e) {
                next.set(rows); // the other workers stop after their chunk
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void work(int worker, int rows, int size, AtomicInteger next, Chunk chunk) {
        boolean gradMode = JniUtils.isGradMode();
        int numThreads = JniUtils.getNumThreads();
        JniUtils.setGradMode(false); // per thread in PyTorch
        if (numThreads != 1) {
            JniUtils.setNumThreads(1);
        }
        try {
            for (int from; (from = next.getAndAdd(size)) < rows; ) {
                chunk.run(worker, from, Math.min(rows, from + size));
            }
        } finally {
            JniUtils.setGradMode(gradMode);
            if (numThreads != 1) {
                JniUtils.setNumThreads(numThreads);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
