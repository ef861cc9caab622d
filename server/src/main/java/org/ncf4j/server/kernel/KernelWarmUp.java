package org.ncf4j.server.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the fused kernel until its time per run stops improving (the JIT has compiled it), once: the kernel's code
 * is shared by every model, so later loads time compiled code. A first ranking on a loaded core can take ten times
 * a compiled one, which would make the choice between the kernel and the graph at load a measurement of the
 * compiler. The server's wiring creates one for the process and hands it to the model loader.
 *
 * <p>Each round ranks one user and scores {@link #PAIRS} pairs, so that Score's path is compiled before calls
 * come too.
 */
public final class KernelWarmUp {
    /** The longest a warm-up runs at a server's first load of a model the kernel computes. */
    public static final long MAX_NANOS = 3_000_000_000L;
    /** Pairs scored in each round: a Score call of a few tiles' worth, the last tile partly filled. */
    static final int PAIRS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(KernelWarmUp.class);
    private final long maxNanos;
    private boolean warm; // guarded by this

    /** @param maxNanos the longest the warm-up runs */
    public KernelWarmUp(long maxNanos) {
        this.maxNanos = maxNanos;
    }

    /**
     * Warms the kernel's code up with {@code kernel}'s model, unless this has done so before (with any model);
     * returns whether it ran now. Calls wait for a warm-up in progress.
     */
    public synchronized boolean warmUp(FusedRanker kernel) {
        if (warm) {
            return false;
        }
        warm = true;
        long start = System.nanoTime();
        double best = Double.MAX_VALUE;
        int flat = 0;
        int runs = 0;
        int k = Math.min(10, kernel.items());
        long[] none = new long[0];
        long[] pairUsers = new long[PAIRS];
        long[] pairItems = new long[PAIRS];
        for (int i = 0; i < PAIRS; i++) { // spread over the tables as callers' pairs are
            pairUsers[i] = (i * 7919L) % kernel.users();
            pairItems[i] = (i * 104729L) % kernel.items();
        }
        // batches of 50 ms, at least 300 ms in all: on a busy machine the compiler threads get little time, and a
        // shorter plateau can be the interpreter's
        while (System.nanoTime() - start < maxNanos && (flat < 4 || System.nanoTime() - start < 300_000_000L)) {
            long t0 = System.nanoTime();
            int n = 0;
            do {
                kernel.rank(new long[] {runs++ % kernel.users()}, none, k);
                kernel.score(pairUsers, pairItems);
                n++;
            } while (System.nanoTime() - t0 < 50_000_000L);
            double perRun = (System.nanoTime() - t0) / (double) n;
            flat = perRun < best * 0.95 ? 0 : flat + 1;
            best = Math.min(best, perRun);
        }
        LOG.debug("fused ranking kernel warmed up in {} ms: {} runs, {} ms per run", (System.nanoTime() - start)
                / 1_000_000, runs, String.format("%.3f", best / 1e6));
        return true;
    }
}
