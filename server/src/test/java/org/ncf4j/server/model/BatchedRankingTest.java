package org.ncf4j.server.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.server.TestBundles;
import org.ncf4j.server.compute.PairScores;

/** Users ranked together in one run get exactly what they get alone, each with its own k and exclusions. */
class BatchedRankingTest {

    @Test
    void batchedRankingAndScoringEqualSingleCalls(@TempDir Path dir) throws Exception {
        List<Integer> runs = new CopyOnWriteArrayList<>();
        ServedModel model = ModelLoaders.cpu(8, TimeUnit.MILLISECONDS.toNanos(20), (call, n, t, d, inline) -> {
            if (call.equals("recommend")) {
                runs.add(n);
            }
        }).load("m", 1, TestBundles.write(dir.resolve("b"), 1));
        try {
            List<CompletableFuture<ServedModel.Ranked>> batched = new ArrayList<>();
            List<CompletableFuture<PairScores>> scored = new ArrayList<>();
            for (int u = 0; u < 8; u++) {
                batched.add(model.rank(new ServedModel.RankQuery(u, exclude(u), 3 + u), Long.MAX_VALUE));
                scored.add(model.score(new long[] {u, u}, new long[] {1, u}, Long.MAX_VALUE));
            }
            for (int u = 0; u < 8; u++) {
                List<ServedModel.RankQuery> one = List.of(new ServedModel.RankQuery(u, exclude(u), 3 + u));
                ServedModel.Ranked alone;
                try (var bulk = model.admitRanking(one, Long.MAX_VALUE)) {
                    alone = bulk.submit(one, Long.MAX_VALUE).get(0).get(10, TimeUnit.SECONDS);
                }
                ServedModel.Ranked together = batched.get(u).get(10, TimeUnit.SECONDS);
                assertArrayEquals(alone.items(), together.items(), "user " + u);
                assertArrayEquals(alone.scores(), together.scores(), 1e-6f, "user " + u);
                assertEquals(3 + u, together.items().length);
                for (long e : exclude(u)) {
                    for (long item : together.items()) {
                        assertTrue(item != e, "user " + u + " got excluded item " + e);
                    }
                }
                assertArrayEquals(model.scoreNow(new long[] {u, u}, new long[] {1, u}).scores(),
                        scored.get(u).get(10, TimeUnit.SECONDS).scores(), 1e-6f);
            }
            assertTrue(runs.stream().anyMatch(n -> n > 1), "never batched: " + runs);
        } finally {
            model.close();
        }
        assertTrue(model.awaitClosed(5000));
    }

    private static long[] exclude(int u) {
        long[] exclude = new long[u];
        for (int j = 0; j < u; j++) {
            exclude[j] = j * 2L;
        }
        return exclude;
    }
}
