package org.ncf4j.server.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.server.kernel.FusedRanker;
import org.ncf4j.server.kernel.KernelWarmUp;

/**
 * The fused ranking kernel alone: time per user of a run of one user and of a run of eight (seen items excluded,
 * k = 10), and the time of a Score run of 2,000 random pairs, after the warm-up the server does at load.
 * Arguments: BUNDLE_DIR [SECONDS=5]. Run with {@code server/bench/kernel.sh}, which starts several JVMs: the JIT's
 * code differs between starts.
 */
public final class KernelBench {
    private KernelBench() {
    }

    public static void main(String[] args) throws Exception {
        Bundle bundle = Bundle.read(Path.of(args[0]));
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(), new StringBuilder()).orElseThrow();
        new KernelWarmUp(2_000_000_000L).warmUp(fused);
        int users = bundle.users().size();
        SplittableRandom random = new SplittableRandom(1);
        StringBuilder line = new StringBuilder();
        for (int batch : new int[] {1, 8}) {
            String p50 = p50(seconds, (int) (seconds * 20_000 / batch), " per user", () -> {
                long[] who = new long[batch];
                for (int row = 0; row < batch; row++) {
                    who[row] = random.nextInt(users);
                }
                long[] exclude = ModelBench.excludeSeen(bundle, who);
                long t0 = System.nanoTime();
                fused.rank(who, exclude, 10);
                return (System.nanoTime() - t0) / batch;
            });
            line.append("batch ").append(batch).append(": p50 ").append(p50).append("   ");
        }
        // Score's path: the time of a run of 2,000 random (user, item) pairs
        int items = bundle.items().size();
        line.append("score 2,000 pairs: p50 ").append(p50(seconds, (int) (seconds * 2_000), "", () -> {
            long[] who = new long[2000];
            long[] what = new long[2000];
            for (int i = 0; i < who.length; i++) {
                who[i] = random.nextInt(users);
                what[i] = random.nextInt(items);
            }
            long t0 = System.nanoTime();
            fused.score(who, what);
            return System.nanoTime() - t0;
        }));
        System.out.println(line.toString().trim() + "   (" + fused.tileCode() + ")");
    }

    /**
     * "X ms{@code per} (N runs)": the median of the times {@code oneRun} reports (nanoseconds, its setup left out)
     * over {@code seconds}, or {@code maxRuns} runs if fewer.
     */
    private static String p50(double seconds, int maxRuns, String per, LongSupplier oneRun) {
        long[] times = new long[maxRuns];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && n < times.length) {
            times[n++] = oneRun.getAsLong();
        }
        long[] t = Arrays.copyOf(times, n);
        Arrays.sort(t);
        return String.format("%.3f ms%s (%,d runs)", t[n / 2] / 1e6, per, n);
    }
}
