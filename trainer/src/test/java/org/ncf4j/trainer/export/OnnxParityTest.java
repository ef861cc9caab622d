package org.ncf4j.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ncf4j.trainer.export.ExportFixtures.ITEMS;
import static org.ncf4j.trainer.export.ExportFixtures.USERS;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.contract.Variant;
import org.ncf4j.graph.ScoringGraph;
import org.ncf4j.graph.RankingGraph;

/** The exported graphs score and rank exactly like the DJL model, on ONNX Runtime. */
class OnnxParityTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private static OrtSession session(byte[] model) throws Exception {
        return ENV.createSession(model, new OrtSession.SessionOptions());
    }

    private static OnnxTensor longs(long[] values, long... shape) throws Exception {
        return OnnxTensor.createTensor(ENV, LongBuffer.wrap(values), shape);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void scoringGraphGivesTheModelsProbabilities(Variant variant) throws Exception {
        try (NcfModel model = ExportFixtures.model(variant, 5);
             OrtSession s = session(ScoringGraph.build(model.weights(), "test", Map.of()).toByteArray())) {
            int n = USERS * ITEMS;
            int[] users = new int[n];
            int[] items = new int[n];
            long[] u = new long[n];
            long[] it = new long[n];
            for (int k = 0; k < n; k++) {
                users[k] = k / ITEMS;
                items[k] = k % ITEMS;
                u[k] = users[k];
                it[k] = items[k];
            }
            float[] logits = model.logits(users, items, 0, n);
            try (OnnxTensor ut = longs(u, n); OnnxTensor itT = longs(it, n);
                 OrtSession.Result r = s.run(Map.of("user", ut, "item", itT))) {
                float[] scores = (float[]) r.get("score").get().getValue();
                float[] onnxLogits = (float[]) r.get("logit").get().getValue();
                assertEquals(n, scores.length);
                for (int k = 0; k < n; k++) {
                    assertEquals(ExportFixtures.sigmoid(logits[k]), scores[k], 1e-6, "pair " + k);
                    assertEquals(logits[k], onnxLogits[k], 1e-5, "pair " + k);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void rankingGraphReturnsTheBestUnexcludedItemsInScoreOrder(Variant variant) throws Exception {
        checkRanking(variant, new int[] {12, 8, 4});
    }

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"MLP", "NEUMF"})
    void rankingGraphHandlesAnMlpWithoutHiddenLayers(Variant variant) throws Exception {
        checkRanking(variant, new int[] {12});
    }

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = {"MLP", "NEUMF"})
    void rankingGraphHandlesAnMlpWithOneLayer(Variant variant) throws Exception {
        checkRanking(variant, new int[] {12, 8});
    }

    private static void checkRanking(Variant variant, int[] layers) throws Exception {
        int k = 5;
        try (NcfModel model = ExportFixtures.model(variant, 9, layers);
             OrtSession s = session(RankingGraph.build(model.weights(), "test", Map.of()).toByteArray())) {
            long[] users = {3, 0, 12};
            // exclude items 1 and 2 for the first user, 7 for the third, nothing for the second
            long[] exclude = {0, 1, 0, 2, 2, 7};
            try (OnnxTensor ut = longs(users, 3); OnnxTensor ex = longs(exclude, 3, 2);
                 OnnxTensor kt = longs(new long[] {k}, 1);
                 OrtSession.Result r = s.run(Map.of("user", ut, "exclude", ex, "k", kt))) {
                long[][] items = (long[][]) r.get("items").get().getValue();
                float[][] scores = (float[][]) r.get("scores").get().getValue();
                for (int b = 0; b < users.length; b++) {
                    int user = (int) users[b];
                    int[] all = IntStream.range(0, ITEMS).toArray();
                    float[] logits = model.logits(IntStream.range(0, ITEMS).map(x -> user).toArray(), all, 0, ITEMS);
                    List<Integer> expected = new ArrayList<>();
                    for (int i = 0; i < ITEMS; i++) {
                        boolean excluded = false;
                        for (int e = 0; e < exclude.length; e += 2) {
                            excluded |= exclude[e] == b && exclude[e + 1] == i;
                        }
                        if (!excluded) {
                            expected.add(i);
                        }
                    }
                    expected.sort(Comparator.comparingDouble(i -> -logits[i]));
                    long[] want = expected.subList(0, k).stream().mapToLong(Integer::longValue).toArray();
                    assertArrayEquals(want, items[b], "user " + user);
                    for (int j = 0; j < k; j++) {
                        assertEquals(ExportFixtures.sigmoid(logits[(int) want[j]]), scores[b][j], 1e-6);
                    }
                    assertTrue(scores[b][0] >= scores[b][k - 1]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void rankingGraphPutsExcludedItemsLastWhenKCoversTheCatalogue(Variant variant) throws Exception {
        try (NcfModel model = ExportFixtures.model(variant, 2);
             OrtSession s = session(RankingGraph.build(model.weights(), "test", Map.of()).toByteArray());
             OnnxTensor ut = longs(new long[] {4}, 1); OnnxTensor ex = longs(new long[] {0, 5}, 1, 2);
             OnnxTensor kt = longs(new long[] {ITEMS}, 1);
             OrtSession.Result r = s.run(Map.of("user", ut, "exclude", ex, "k", kt))) {
            long[][] items = (long[][]) r.get("items").get().getValue();
            float[][] scores = (float[][]) r.get("scores").get().getValue();
            assertEquals(5, items[0][ITEMS - 1]);
            assertEquals(0f, scores[0][ITEMS - 1]);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void rankingGraphAcceptsNoExclusions(Variant variant) throws Exception {
        try (NcfModel model = ExportFixtures.model(variant, 3);
             OrtSession s = session(RankingGraph.build(model.weights(), "test", Map.of()).toByteArray());
             OnnxTensor ut = longs(new long[] {1, 2}, 2); OnnxTensor ex = longs(new long[0], 0, 2);
             OnnxTensor kt = longs(new long[] {3}, 1);
             OrtSession.Result r = s.run(Map.of("user", ut, "exclude", ex, "k", kt))) {
            assertEquals(3, ((long[][]) r.get("items").get().getValue())[1].length);
        }
    }
}
