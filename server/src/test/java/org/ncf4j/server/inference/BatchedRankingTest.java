package org.ncf4j.server.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.server.TestBundleAccess;

/** Users ranked together in one batch get exactly what they get alone, each with its own k and exclusions. */
class BatchedRankingTest {

    @Test
    void batchedRankingAndScoringEqualSingleCalls(@TempDir Path dir) throws Exception {
        Path bundleDir = TestBundleAccess.trained(dir);
        Bundle bundle = Bundle.read(bundleDir);
        ExecutionProvider.Choice cpu = ExecutionProvider.choose("cpu", 0, (o, d) -> { });
        try (OnnxModel model = OnnxModel.load("m", 1, bundle, cpu, 1,
                new OnnxModel.Batching(8, 1000, 20_000, 100, 1, (call, n, t) -> { }))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<OnnxModel.Ranked>> batched = new ArrayList<>();
            List<Future<float[]>> scored = new ArrayList<>();
            for (int u = 0; u < 8; u++) {
                int user = u;
                long[] exclude = new long[u];
                for (int j = 0; j < u; j++) {
                    exclude[j] = j * 2;
                }
                batched.add(pool.submit(() -> model.rankBatched(user, exclude, 3 + user, Long.MAX_VALUE).join()));
                scored.add(pool.submit(() -> model.scoreBatched(new long[] {user, user}, new long[] {1, user},
                        Long.MAX_VALUE).join()));
            }
            for (int u = 0; u < 8; u++) {
                long[] exclude = new long[u];
                for (int j = 0; j < u; j++) {
                    exclude[j] = j * 2;
                }
                OnnxModel.Ranked alone = model.rank(u, exclude, 3 + u);
                OnnxModel.Ranked together = batched.get(u).get(10, TimeUnit.SECONDS);
                assertArrayEquals(alone.items(), together.items(), "user " + u);
                assertArrayEquals(alone.scores(), together.scores(), 1e-6f, "user " + u);
                assertArrayEquals(model.score(new long[] {u, u}, new long[] {1, u}),
                        scored.get(u).get(10, TimeUnit.SECONDS), 1e-6f);
            }
            pool.shutdown();
        }
    }
}
