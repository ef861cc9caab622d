package org.ncf4j.trainer.optim;

import java.util.SplittableRandom;
import org.ncf4j.trainer.sampling.EpochExamples;

/**
 * What putting an epoch in block order costs ({@link BlockSchedule#start}, by chunks): milliseconds per epoch of
 * uniformly random examples for two workers (4 x 4 blocks), at MovieLens 1M's and 20M's user and item counts and at
 * the 10^7 users. Run with {@code bin/lib/run-java.sh trainer org.ncf4j.trainer.optim.BlockOrderBench
 * [EXAMPLES=5000000]}.
 */
public final class BlockOrderBench {
    private static final int ROUNDS = 7;

    private BlockOrderBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int[][] counts = {{6_040, 3_706}, {138_493, 26_744}, {10_000_000, 1_000_000}};
        System.out.printf("%,d examples, 2 workers%n%12s %12s %14s%n", n, "users", "items", "ms per epoch");
        for (int[] c : counts) {
            EpochExamples ex = random(n, c[0], c[1], 1);
            BlockSchedule schedule = BlockSchedule.of(ex, c[0], c[1], 2);
            double[] ms = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                EpochExamples epoch = random(n, c[0], c[1], 2 + r);
                long t0 = System.nanoTime();
                schedule.start(epoch);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            java.util.Arrays.sort(ms);
            System.out.printf("%,12d %,12d %14.1f%n", c[0], c[1], ms[ROUNDS / 2]);
        }
    }

    private static EpochExamples random(int n, int users, int items, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] u = new int[n];
        int[] i = new int[n];
        float[] s = new float[n];
        for (int k = 0; k < n; k++) {
            u[k] = r.nextInt(users);
            i[k] = r.nextInt(items);
            s[k] = r.nextInt(5) == 0 ? -1f : 1f;
        }
        return new EpochExamples(0, u, i, s, n / 5, n - n / 5);
    }
}
