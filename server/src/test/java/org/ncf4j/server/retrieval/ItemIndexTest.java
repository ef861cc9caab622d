package org.ncf4j.server.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;

/** The item index finds the items of largest inner product, as a scan of every vector does. */
class ItemIndexTest {
    private static final int ITEMS = 3000;
    private static final int DIM = 8;

    /**
     * Vectors whose norms differ by about 30% (a trained model's item vectors differ so). With norms that differ by
     * a factor of e, the same search finds 0.64 of the best ten: the lifted vectors of small norm crowd near one
     * pole of the sphere (docs/serving.md).
     */
    private static List<float[]> vectors(long seed) {
        return vectors(seed, ITEMS);
    }

    private static List<float[]> vectors(long seed, int items) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            float[] v = new float[DIM];
            double scale = Math.exp(0.3 * r.nextGaussian());
            for (int j = 0; j < DIM; j++) {
                v[j] = (float) (r.nextGaussian() * scale);
            }
            out.add(v);
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    /** The n items of largest inner product with q among those accept lets through, by a scan. */
    private static int[] scan(List<float[]> v, float[] q, int n, Bits accept) {
        return IntStream.range(0, v.size()).filter(i -> accept == null || accept.get(i)).boxed()
                .sorted((a, b) -> Float.compare(dot(v.get(b), q), dot(v.get(a), q))).limit(n)
                .mapToInt(Integer::intValue).toArray();
    }

    @Test
    void findsTheLargestInnerProductsAsAScanDoes() {
        double recall = recall(vectors(1), 1);
        assertTrue(recall >= 0.95, "recall of the best 10 among 200 found: " + recall);
    }

    /**
     * Lucene's concurrent builder: about as good a graph as the single-threaded one (about 0.91 to 0.93 here, of
     * 20,500 items). Two threads insert in an order that varies from run to run, so their graph's recall varies too:
     * one clean-clone run measured 0.8915 against 0.913, hence a margin of 0.05, not 0.02.
     */
    @Test
    void aGraphBuiltByTwoThreadsFindsAsMuchAsOneBuiltByOne() {
        List<float[]> v = vectors(6, ItemIndex.CONCURRENT_FROM + 500);
        double one = recall(v, 1);
        double two = recall(v, 2);
        assertTrue(one >= 0.9, "one thread's graph: " + one);
        assertTrue(two >= one - 0.05, "two threads' graph: " + two + ", one thread's: " + one);
    }

    /** Recall of the best 10 by a scan among the 200 the index finds, over 200 seeded queries. */
    private static double recall(List<float[]> v, int threads) {
        ItemIndex index = ItemIndex.build(v, ItemIndex.Params.DEFAULT, threads);
        assertEquals(v.size(), index.size());
        assertEquals(DIM, index.dimension());
        SplittableRandom r = new SplittableRandom(2);
        double found = 0;
        int queries = 200;
        for (int q = 0; q < queries; q++) {
            float[] query = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                query[j] = (float) r.nextGaussian();
            }
            int[] got = index.search(query, 200, null);
            assertEquals(200, got.length);
            assertEquals(200, Arrays.stream(got).distinct().count());
            int[] best = scan(v, query, 10, null);
            for (int b : best) {
                found += Arrays.stream(got).anyMatch(i -> i == b) ? 1 : 0;
            }
        }
        return found / (10.0 * queries);
    }

    @Test
    void leavesOutWhatTheFilterRefusesAndStillFindsTheBest() {
        List<float[]> v = vectors(3);
        ItemIndex index = ItemIndex.build(v, ItemIndex.Params.DEFAULT);
        float[] query = v.get(17).clone();
        int[] unfiltered = index.search(query, 20, null);
        Bits notTheBestFive = new Bits() {
            @Override
            public boolean get(int i) {
                return Arrays.stream(unfiltered, 0, 5).noneMatch(x -> x == i);
            }

            @Override
            public int length() {
                return ITEMS;
            }
        };
        int[] got = index.search(query, 200, notTheBestFive);
        assertEquals(200, got.length);
        for (int i : got) {
            assertTrue(notTheBestFive.get(i), "item " + i + " was left out");
        }
        int[] best = scan(v, query, 3, notTheBestFive);
        for (int b : best) {
            assertTrue(Arrays.stream(got).anyMatch(i -> i == b), "item " + b + " is among the best allowed");
        }
    }

    @Test
    void concurrentSearchesGetTheAnswersOfSearchesOneAtATime() throws Exception {
        List<float[]> v = vectors(4);
        ItemIndex index = ItemIndex.build(v, ItemIndex.Params.DEFAULT);
        int[][] alone = new int[64][];
        for (int q = 0; q < alone.length; q++) {
            alone[q] = index.search(v.get(q), 30, null);
        }
        int[][] together = new int[64][];
        IntStream.range(0, 64).parallel().forEach(q -> together[q] = index.search(v.get(q), 30, null));
        for (int q = 0; q < alone.length; q++) {
            assertTrue(Arrays.equals(alone[q], together[q]), "query " + q);
        }
    }

    @Test
    void refusesQueriesOfAnotherDimensionAndBadSettings() {
        ItemIndex index = ItemIndex.build(vectors(5).subList(0, 100), new ItemIndex.Params(8, 50));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> index.search(new float[DIM + 1], 5, null));
        assertTrue(e.getMessage().contains("dimension 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ItemIndex.Params(1, 100));
        assertThrows(IllegalArgumentException.class, () -> new ItemIndex.Params(16, 0));
        assertThrows(IllegalArgumentException.class, () -> ItemIndex.build(List.of(), ItemIndex.Params.DEFAULT));
        assertTrue(index.describe().contains("Lucene"), index.describe());
        assertFalse(index.describe().contains("null"), index.describe());
    }
}
