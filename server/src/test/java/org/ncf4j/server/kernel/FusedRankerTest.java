package org.ncf4j.server.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.graph.TablePieces;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.server.TestBundles;
import org.ncf4j.server.compute.PairScores;
import org.ncf4j.server.compute.Rankings;
import org.ncf4j.server.model.RankerCheck;
import org.ncf4j.server.onnxruntime.ExecutionProvider;
import org.ncf4j.server.onnxruntime.OnnxSessions;

/** The fused kernel computes the ranking graph's function, for every variant and tower, tiles and all. */
class FusedRankerTest {
    private static final ExecutionProvider.Choice CPU = ExecutionProvider.choose("cpu", 0, (o, d) -> { });

    /**
     * Shapes whose catalogues span several tiles and end in a partial one, the tower without hidden layers, and
     * one of odd widths (a layer's outputs are computed in pairs and its inputs in fours, with what remains after).
     */
    static List<ModelShape> shapes() {
        return List.of(new ModelShape(Variant.NEUMF, 30, 1100, 8, new int[] {64, 32, 16, 8}),
                new ModelShape(Variant.GMF, 30, 2500, 8, new int[] {64, 32, 16, 8}),
                new ModelShape(Variant.MLP, 30, 2100, 8, new int[] {16, 8}),
                new ModelShape(Variant.NEUMF, 30, 333, 4, new int[] {8}),
                new ModelShape(Variant.NEUMF, 30, 150, 16, new int[] {256, 128, 64, 32, 16}),
                new ModelShape(Variant.NEUMF, 30, 1030, 5, new int[] {14, 7, 3}));
    }

    @Test
    void agreesWithTheRankingGraphOnEveryUserWithExclusionsAndTheWholeCatalogue(@TempDir Path dir)
            throws Exception {
        int n = 0;
        for (ModelShape shape : shapes()) {
            Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b" + n++), shape, 7));
            try (OnnxSessions onnx = OnnxSessions.open(bundle, CPU, 1)) {
                for (boolean vectorApi : new boolean[] {true, false}) {
                    // item sides copied into tiles at load, and read from the bundle's mapped tables per run
                    for (long heapTiles : new long[] {TiledConstants.HEAP_TILES_BYTES, 0}) {
                        FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(),
                                new StringBuilder(), vectorApi, heapTiles).orElseThrow();
                        assertEquals(vectorApi, fused.tileCode().startsWith("vector API"), fused.tileCode());
                        ranksAsTheGraph(fused, onnx, bundle, shape + " " + fused.tileCode() + " heap tiles "
                                + heapTiles);
                        assertNull(RankerCheck.scoreDisagreement(fused, onnx, bundle), shape + " " + heapTiles);
                    }
                }
            }
        }
    }

    /**
     * A user's logits for some items (retrieval's candidates, in any order, with a repeat, more than a tile of them)
     * are the whole catalogue's logits at those items, for every variant and tower, both tile codes and both ways
     * to read item sides.
     */
    @Test
    void logitsOfSomeItemsAreTheWholeCataloguesAtThoseItems(@TempDir Path dir) throws Exception {
        int n = 0;
        for (ModelShape shape : shapes()) {
            Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("s" + n++), shape, 7));
            int items = shape.numItems();
            java.util.SplittableRandom r = new java.util.SplittableRandom(n);
            int[] some = r.ints(Math.min(items + 5, 1500), 0, items).toArray();
            some[some.length - 1] = some[0];
            for (boolean vectorApi : new boolean[] {true, false}) {
                for (long heapTiles : new long[] {TiledConstants.HEAP_TILES_BYTES, 0}) {
                    FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(),
                            new StringBuilder(), vectorApi, heapTiles).orElseThrow();
                    for (int user : new int[] {0, 17, shape.numUsers() - 1}) {
                        float[] all = fused.all(user);
                        float[] got = fused.logits(user, some);
                        float[] want = new float[some.length];
                        for (int i = 0; i < some.length; i++) {
                            want[i] = all[some[i]];
                        }
                        assertArrayEquals(want, got, 1e-5f, shape + " " + fused.tileCode() + " heap tiles "
                                + heapTiles + " user " + user);
                    }
                }
            }
        }
    }

    /**
     * Every user ranked at once with every seen item excluded, in shuffled order, and k the whole catalogue:
     * the graph's scores, and excluded items filling the end with probability 0.
     */
    private static void ranksAsTheGraph(FusedRanker fused, OnnxSessions onnx, Bundle bundle, String what)
            throws Exception {
        assertNull(RankerCheck.disagreement(fused, onnx, bundle), what);
        long[] users = new long[bundle.card().numUsers()];
        for (int u = 0; u < users.length; u++) {
            users[u] = u;
        }
        long[] exclude = shuffledPairs(bundle, 3);
        int k = bundle.card().numItems();
        Rankings want = onnx.rank(users, exclude, k);
        Rankings got = fused.rank(users, exclude, k);
        for (int u = 0; u < users.length; u++) {
            assertArrayEquals(want.scores()[u], got.scores()[u], RankerCheck.TOLERANCE, what + " user " + u);
            int seen = bundle.seen().items(u).length;
            for (int j = k - seen; j < k; j++) {
                assertEquals(0f, got.scores()[u][j], what + " user " + u + " rank " + j);
                long item = got.items()[u][j];
                assertTrue(Arrays.stream(bundle.seen().items(u)).anyMatch(i -> i == item));
            }
        }
    }

    /**
     * Tables over 2 GB are mapped in pieces: the kernel reads user rows and item tiles across the pieces' ends (the
     * same path on small bundles mapped in pieces of 4 KiB, against the graph reading the data file itself), and
     * the user tables of a bundle whose graphs declare them in pieces (of 37 rows here) through the mappings of
     * those pieces, against the graph's lookup over the pieces.
     */
    @Test
    void agreesWithTheGraphOnTablesMappedInPieces(@TempDir Path dir) throws Exception {
        int n = 0;
        for (ModelShape shape : List.of(new ModelShape(Variant.NEUMF, 300, 1100, 8, new int[] {32, 16, 8}),
                new ModelShape(Variant.GMF, 700, 2500, 12, new int[] {8}))) {
            for (Bundle bundle : List.of(Bundle.read(TestBundles.write(dir.resolve("p" + n++), shape, 5),
                    Bundle.MAX_FILE_BYTES, 4096), Bundle.read(TestBundles.write(dir.resolve("p" + n++), shape, 5,
                    TablePieces.ofRows(37))))) {
                agreesWithTheGraphOnTablesInPieces(shape, bundle);
            }
        }
    }

    private static void agreesWithTheGraphOnTablesInPieces(ModelShape shape, Bundle bundle) throws Exception {
        assertTrue(bundle.tables().values().stream().anyMatch(t -> t.bytes().isEmpty()), "a table in pieces");
        try (OnnxSessions onnx = OnnxSessions.open(bundle, CPU, 1)) {
            for (long heapTiles : new long[] {TiledConstants.HEAP_TILES_BYTES, 0}) {
                FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(),
                        new StringBuilder(), true, heapTiles).orElseThrow();
                ranksAsTheGraph(fused, onnx, bundle, shape + " in pieces, heap tiles " + heapTiles);
                assertNull(RankerCheck.scoreDisagreement(fused, onnx, bundle), shape + " " + heapTiles);
            }
        }
    }

    /** The tests run where the server runs: with the vector API, so that its tiles are what the tests check. */
    @Test
    void theTestsRunWithTheVectorApi() {
        assertTrue(FusedRanker.VECTOR_API, "the server's tests must run with --add-modules jdk.incubator.vector");
    }

    /** Pairs over several tiles, for every variant and tower, both tile codes and both ways to read item sides. */
    @Test
    void scoresPairsAsTheScoringGraphDoesOverSeveralTiles(@TempDir Path dir) throws Exception {
        int n = 0;
        SplittableRandom random = new SplittableRandom(11);
        for (ModelShape shape : shapes()) {
            Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b" + n++), shape, 7));
            try (OnnxSessions onnx = OnnxSessions.open(bundle, CPU, 1)) {
                int pairs = 2600; // whole tiles and a part
                long[] users = new long[pairs];
                long[] items = new long[pairs];
                for (int p = 0; p < pairs; p++) {
                    users[p] = random.nextInt(shape.numUsers());
                    items[p] = random.nextInt(shape.numItems());
                }
                PairScores want = onnx.score(users, items);
                for (boolean vectorApi : new boolean[] {true, false}) {
                    for (long heapTiles : new long[] {TiledConstants.HEAP_TILES_BYTES, 0}) {
                        FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(),
                                new StringBuilder(), vectorApi, heapTiles).orElseThrow();
                        String what = shape + " " + fused.tileCode() + " heap tiles " + heapTiles;
                        assertEquals(vectorApi, fused.tileCode().startsWith("vector API"), what);
                        assertNull(RankerCheck.scoreDisagreement(fused, onnx, bundle), what);
                        PairScores got = fused.score(users, items);
                        assertArrayEquals(want.scores(), got.scores(), RankerCheck.TOLERANCE, what);
                        for (int p = 0; p < pairs; p++) {
                            float tolerance = RankerCheck.LOGIT_TOLERANCE * Math.max(1f, Math.abs(want.logits()[p]));
                            assertEquals(want.logits()[p], got.logits()[p], tolerance, what + " pair " + p);
                        }
                        assertEquals(0, fused.score(new long[0], new long[0]).scores().length);
                    }
                }
            }
        }
    }

    @Test
    void pairsOutsideTheModelAreRefusedAndAnotherModelsPairsNamed(@TempDir Path dir) throws Exception {
        Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b"), 1));
        FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(), new StringBuilder())
                .orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fused.score(new long[] {TestBundles.USERS}, new long[] {0}));
        assertTrue(e.getMessage().contains("user index " + TestBundles.USERS), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fused.score(new long[] {0}, new long[] {-1}));
        assertTrue(e.getMessage().contains("item index -1"), e.getMessage());
        Bundle other = Bundle.read(TestBundles.write(dir.resolve("c"), 2));
        try (OnnxSessions onnx = OnnxSessions.open(other, CPU, 1)) {
            String d = RankerCheck.scoreDisagreement(fused, onnx, bundle);
            assertTrue(d != null && d.startsWith("it scores user index 0 and item index 0 "), d);
        }
    }

    @Test
    void eachUserOfABatchGetsWhatItGetsAlone(@TempDir Path dir) throws Exception {
        Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b"), shapes().get(0), 3));
        FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(), new StringBuilder())
                .orElseThrow();
        Rankings together = fused.rank(new long[] {4, 9, 4}, new long[] {2, 17, 0, 5, 0, 6}, 10);
        Rankings first = fused.rank(new long[] {4}, new long[] {0, 5, 0, 6}, 10);
        Rankings third = fused.rank(new long[] {4}, new long[] {0, 17}, 10);
        assertArrayEquals(first.items()[0], together.items()[0]);
        assertArrayEquals(first.scores()[0], together.scores()[0]);
        assertArrayEquals(third.items()[0], together.items()[2]);
        assertArrayEquals(fused.rank(new long[] {9}, new long[0], 10).items()[0], together.items()[1]);
    }

    @Test
    void anExcludedItemOutsideTheCatalogueIsRefused(@TempDir Path dir) throws Exception {
        Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b"), 1));
        FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(), new StringBuilder())
                .orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fused.rank(new long[] {0}, new long[] {0, TestBundles.ITEMS}, 3));
        assertTrue(e.getMessage().contains("excluded item " + TestBundles.ITEMS), e.getMessage());
    }

    @Test
    void graphsItDoesNotComputeAreDeclinedWithTheReason(@TempDir Path dir) throws Exception {
        Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b"), 1));
        ModelProto graph = ModelProto.parseFrom(bundle.rankModel());
        StringBuilder why = new StringBuilder();
        Optional<FusedRanker> other = FusedRanker.of(graph.toBuilder().setProducerName("pytorch").build()
                .toByteArray(), bundle.tables(), bundle.card(), why);
        assertTrue(other.isEmpty());
        assertTrue(why.toString().contains("made by 'pytorch'"), why.toString());

        why.setLength(0);
        ModelProto.Builder missing = graph.toBuilder();
        missing.getGraphBuilder().clearInitializer();
        assertTrue(FusedRanker.of(missing.build().toByteArray(), bundle.tables(), bundle.card(), why).isEmpty());
        assertTrue(why.toString().contains("no float constant"), why.toString());

        why.setLength(0);
        assertTrue(FusedRanker.of(new byte[] {1, 2, 3}, bundle.tables(), bundle.card(), why).isEmpty());
        assertTrue(why.toString().contains("does not parse"), why.toString());
    }

    @Test
    void theProbeNamesTheFirstDisagreement(@TempDir Path dir) throws Exception {
        Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b"), 1));
        Bundle other = Bundle.read(TestBundles.write(dir.resolve("c"), 2));
        FusedRanker fused = FusedRanker.of(other.rankModel(), other.tables(), other.card(), new StringBuilder()).orElseThrow();
        try (OnnxSessions onnx = OnnxSessions.open(bundle, CPU, 1)) {
            String d = RankerCheck.disagreement(fused, onnx, bundle);
            assertTrue(d != null && d.startsWith("it disagrees with the ranking graph for user index 0: rank 1"), d);
        }
    }

    @Test
    void topKOrdersByValueThenByTheLowerIndex() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(60);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextInt(4) == 0 ? Float.NEGATIVE_INFINITY : random.nextInt(6) - 3f; // many ties
            }
            int k = 1 + random.nextInt(n);
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> v[a] != v[b] ? Float.compare(v[b], v[a]) : Integer.compare(a, b));
            int[] want = Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(want, TopK.best(v, k), Arrays.toString(v) + " k " + k);
        }
    }

    /** Every user's seen items as (row, item) pairs, in a seeded random order. */
    private static long[] shuffledPairs(Bundle bundle, long seed) {
        List<long[]> pairs = new java.util.ArrayList<>();
        for (int u = 0; u < bundle.card().numUsers(); u++) {
            for (int item : bundle.seen().items(u)) {
                pairs.add(new long[] {u, item});
            }
        }
        java.util.Collections.shuffle(pairs, new java.util.Random(seed));
        return pairs.stream().flatMapToLong(Arrays::stream).toArray();
    }
}
