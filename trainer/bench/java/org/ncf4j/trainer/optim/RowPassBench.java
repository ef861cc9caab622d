package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * The optimizer's row work alone, without the model: {@link EmbeddingTable#gather} (the touch pass, the catch-up of
 * skipped steps and the copy) and {@link EmbeddingTable#update} (the Adam step) on batches of uniformly random rows
 * of a GMF-shaped table (factor 8: 8 weights and 17 floats of state a row), in ns per row, for each table size
 * given. Rows of a larger table miss the caches and skip more steps between uses; this shows what that costs each
 * pass, apart from the rest of a training step. Run with {@code bin/lib/run-java.sh trainer
 * org.ncf4j.trainer.optim.RowPassBench [ROWS...]} (default 6,040, 138,493 and 1,000,000 rows: MovieLens 1M's and
 * 20M's user counts and a million).
 *
 * <p>With {@code -Dthreads=N} (N > 1) it also runs N threads at once, first on one shared table (as Hogwild workers
 * share the item table: a row one core wrote must move to the other core's caches before it is read), then each on
 * its own table of the same size (no row moves between cores), and prints both, in ns per row of one thread.
 */
public final class RowPassBench {
    /** GMF's factor: a row of 8 weights. */
    private static final int DIM = 8;
    private static final int BATCH = 256;
    private static final int WARM = 5_000;
    private static final int STEPS = 30_000;

    private RowPassBench() {
    }

    public static void main(String[] args) {
        long[] sizes = args.length == 0 ? new long[] {6_040, 138_493, 1_000_000}
                : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        int threads = Integer.getInteger("threads", 1);
        System.out.printf("%10s %14s %14s%n", "rows", "gather ns/row", "update ns/row");
        for (long rows : sizes) {
            double[] ns = measure((int) rows);
            System.out.printf("%,10d %14.1f %14.1f%n", rows, ns[0], ns[1]);
        }
        if (threads > 1) {
            System.out.printf("%d threads at once: %10s %14s %14s%n", threads, "rows", "gather ns/row", "update ns/row");
            for (long rows : sizes) {
                for (boolean shared : new boolean[] {true, false}) {
                    double[] ns = together((int) rows, threads, shared);
                    System.out.printf("%-20s %,10d %14.1f %14.1f%n", shared ? "one shared table" : "a table each",
                            rows, ns[0], ns[1]);
                }
            }
        }
    }

    /** The mean over {@code threads} threads at once of {@link #measure}, on one shared table or one each. */
    static double[] together(int rows, int threads, boolean shared) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            EmbeddingTable one = shared ? table(manager, rows) : null;
            double[][] ns = new double[threads][];
            Thread[] running = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                EmbeddingTable table = shared ? one : table(manager, rows);
                running[t] = new Thread(() -> ns[id] = time(table, rows, id + 1));
                running[t].start();
            }
            double[] mean = new double[2];
            for (int t = 0; t < threads; t++) {
                try {
                    running[t].join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                mean[0] += ns[t][0] / threads;
                mean[1] += ns[t][1] / threads;
            }
            return mean;
        }
    }

    private static EmbeddingTable table(NDManager manager, int rows) {
        NDArray weights = manager.randomNormal(new Shape(rows, DIM)).mul(0.01f);
        return new EmbeddingTable("bench", weights, manager, new SkippedSteps(0.001f, 0.9f, 0.999f));
    }

    /** ns per row of gather and of update, over {@link #STEPS} batches after {@link #WARM} untimed ones. */
    static double[] measure(int rows) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            return time(table(manager, rows), rows, 1);
        }
    }

    private static double[] time(EmbeddingTable table, int rows, long seed) {
        int batch = BATCH;
        int dim = DIM;
        int warm = WARM;
        int steps = STEPS;
        EmbeddingTable.Scratch scratch = new EmbeddingTable.Scratch();
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[batch];
        float[] rowsOut = new float[batch * dim];
        float[] gradient = new float[batch * dim];
        long gatherNs = 0;
        long updateNs = 0;
        for (int s = 0; s < warm + steps; s++) {
            for (int i = 0; i < batch; i++) {
                ids[i] = random.nextInt(rows);
            }
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] = (float) (random.nextDouble() - 0.5) * 1e-2f;
            }
            AdamStep adam = AdamStep.at(s + 1, 0.001f, 0.9f, 0.999f, 1e-8f);
            long t0 = System.nanoTime();
            table.gather(ids, 0, batch, rowsOut, adam, scratch);
            long t1 = System.nanoTime();
            table.update(ids, 0, batch, gradient, adam, scratch);
            long t2 = System.nanoTime();
            if (s >= warm) {
                gatherNs += t1 - t0;
                updateNs += t2 - t1;
            }
        }
        double perRow = (double) steps * batch;
        return new double[] {gatherNs / perRow, updateNs / perRow};
    }
}
