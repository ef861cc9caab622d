package org.ncf4j.server.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.server.compute.Rankings;
import org.ncf4j.server.kernel.FusedRanker;
import org.ncf4j.server.kernel.InnerProductPart;
import org.ncf4j.server.kernel.KernelWarmUp;
import org.ncf4j.server.retrieval.ItemIndex;
import org.ncf4j.server.retrieval.RetrievingRanker;

/**
 * Retrieval against the exact ranking of the same model, in process: for a seeded sample of users (seen items
 * excluded, k = 10), recall@10 of the retrieved top 10 against the exact top 10, and the time per user of each,
 * for several candidate counts C, with the index's vectors GMF's item side alone and with the item term. Prints the
 * index's build time. Arguments: BUNDLE_DIR [USERS=1000] [C,C,...=50,100,200,370,1000]; properties -Dm=16
 * -Dbeam=100 (the graph's settings) and -Dterm=both|with|without (the item term).
 */
public final class RecallBench {
    private RecallBench() {
    }

    public static void main(String[] args) throws Exception {
        Bundle bundle = Bundle.read(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int[] cs = Arrays.stream((args.length > 2 ? args[2] : "50,100,200,370,1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(), new StringBuilder())
                .orElseThrow();
        new KernelWarmUp(1_000_000_000L).warmUp(fused);
        InnerProductPart part = InnerProductPart.of(bundle.rankModel(), bundle.tables(), bundle.card(),
                new StringBuilder()).orElseThrow();
        int users = bundle.users().size();
        long[] sample = new SplittableRandom(3).longs(0, users).distinct().limit(Math.min(n, users)).toArray();
        long[][] exact = new long[sample.length][];
        long[] exactNanos = new long[sample.length];
        for (int i = 0; i < sample.length; i++) {
            long t0 = System.nanoTime();
            exact[i] = fused.rank(new long[] {sample[i]}, ModelBench.excludeSeen(bundle, sample[i]), 10).items()[0];
            exactNanos[i] = System.nanoTime() - t0;
        }
        System.out.printf("%s, %,d items, %d users: exact p50 %.3f ms per user%n", bundle.card().shape(),
                bundle.items().size(), sample.length, median(exactNanos) / 1e6);
        ItemIndex.Params params = new ItemIndex.Params(Integer.getInteger("m", 16), Integer.getInteger("beam", 100));
        String terms = System.getProperty("term", "both");
        for (boolean term : new boolean[] {false, true}) {
            if (terms.equals(term ? "without" : "with")) {
                continue;
            }
            RetrievingRanker r = RetrievingRanker.build(part, fused, fused, params, term);
            System.out.printf("%s: built in %.1f s (item term %.1f s), %,d MB kept in the heap%n", r.describe(),
                    r.index().buildNanos() / 1e9, r.termNanos() / 1e9, r.index().bytes() >> 20);
            for (int c : cs) {
                double hits = 0;
                long[] nanos = new long[sample.length];
                for (int i = 0; i < sample.length; i++) {
                    long t0 = System.nanoTime();
                    Rankings got = r.rank(new long[] {sample[i]}, ModelBench.excludeSeen(bundle, sample[i]), 10,
                            new int[] {c});
                    nanos[i] = System.nanoTime() - t0;
                    long[] mine = got.items()[0];
                    for (long item : mine) {
                        for (long want : exact[i]) {
                            hits += item == want ? 1 : 0;
                        }
                    }
                }
                System.out.printf("  C %5d: recall@10 %.4f   p50 %.3f ms per user%n", c, hits / (10.0 * sample.length),
                        median(nanos) / 1e6);
            }
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
