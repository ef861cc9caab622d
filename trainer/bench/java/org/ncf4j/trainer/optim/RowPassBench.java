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
 */
public final class RowPassBench {
    private RowPassBench() {
    }

    public static void main(String[] args) {
        long[] sizes = args.length == 0 ? new long[] {6_040, 138_493, 1_000_000}
                : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        System.out.printf("%10s %14s %14s%n", "rows", "gather ns/row", "update ns/row");
        for (long rows : sizes) {
            double[] ns = measure((int) rows, 8, 256, 5_000, 30_000);
            System.out.printf("%,10d %14.1f %14.1f%n", rows, ns[0], ns[1]);
        }
    }

    /** ns per row of gather and of update, over {@code steps} batches after {@code warm} untimed ones. */
    static double[] measure(int rows, int dim, int batch, int warm, int steps) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray weights = manager.randomNormal(new Shape(rows, dim)).mul(0.01f);
            EmbeddingTable table = new EmbeddingTable("bench", weights, manager,
                    new SkippedSteps(0.001f, 0.9f, 0.999f));
            EmbeddingTable.Scratch scratch = new EmbeddingTable.Scratch();
            SplittableRandom random = new SplittableRandom(1);
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
}
