package org.ncf4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    private static final double EPS = 1e-12;

    /** Negatives 1..n scored n/10, (n-1)/10, ..., 0.1: item j scores (n + 1 - j) / 10. */
    private static float[] descendingScores(int n) {
        float[] s = new float[n];
        for (int j = 0; j < n; j++) {
            s[j] = (n - j) / 10f;
        }
        return s;
    }

    private static int[] items(int from, int n) {
        int[] a = new int[n];
        for (int j = 0; j < n; j++) {
            a[j] = from + j;
        }
        return a;
    }

    @Test
    void positiveAboveAllNegativesRanksFirst() {
        int rank = RankingMetrics.rank(0, 0.9f, new int[] {1, 2, 3}, new float[] {0.1f, 0.5f, 0.8f}, 0);
        assertEquals(0, rank);
        assertEquals(1.0, RankingMetrics.hit(rank, 10));
        assertEquals(1.0, RankingMetrics.ndcg(rank, 10), EPS);
    }

    @Test
    void positiveThirdHasNdcgOneHalf() {
        int rank = RankingMetrics.rank(0, 0.6f, new int[] {1, 2, 3, 4}, new float[] {0.9f, 0.1f, 0.7f, 0.5f}, 0);
        assertEquals(2, rank);
        assertEquals(1.0, RankingMetrics.hit(rank, 3));
        assertEquals(0.0, RankingMetrics.hit(rank, 2));
        assertEquals(0.5, RankingMetrics.ndcg(rank, 10), EPS);
        assertEquals(0.0, RankingMetrics.ndcg(rank, 2));
    }

    @Test
    void positiveSecondHasNdcgOneOverLog2Of3() {
        assertEquals(1 / (Math.log(3) / Math.log(2)), RankingMetrics.ndcg(1, 10), EPS);
    }

    @Test
    void positiveEleventhMissesTheTopTen() {
        float[] scores = descendingScores(20);
        // ten negatives score above 1.05, ten below
        int rank = RankingMetrics.rank(0, 1.05f, items(1, 20), scores, 0);
        assertEquals(10, rank);
        assertEquals(0.0, RankingMetrics.hit(rank, 10));
        assertEquals(0.0, RankingMetrics.ndcg(rank, 10));
        assertEquals(1.0, RankingMetrics.hit(rank, 11));
        assertEquals(Math.log(2) / Math.log(12), RankingMetrics.ndcg(rank, 11), EPS);
    }

    @Test
    void readsCandidateScoresFromTheOffset() {
        float[] scores = {0.99f, 0.99f, 0.2f, 0.7f};
        assertEquals(1, RankingMetrics.rank(0, 0.5f, new int[] {1, 2}, scores, 2));
    }

    @Test
    void tiesCountAgainstThePositive() {
        int rank = RankingMetrics.rank(0, 0.5f, new int[] {1, 2, 3}, new float[] {0.5f, 0.5f, 0.2f}, 0);
        assertEquals(2, rank);
        float[] same = new float[99];
        Arrays.fill(same, 0.3f);
        assertEquals(99, RankingMetrics.rank(0, 0.3f, items(1, 99), same, 0), "constant scores get no credit");
    }

    @Test
    void positiveListedAmongItsNegativesDoesNotChangeItsRank() {
        int[] withoutIt = {1, 2, 3};
        int[] withIt = {1, 7, 2, 3};
        float[] scoresWithout = {0.9f, 0.1f, 0.2f};
        float[] scoresWith = {0.9f, 0.5f, 0.1f, 0.2f};
        assertEquals(1, RankingMetrics.rank(7, 0.5f, withoutIt, scoresWithout, 0));
        assertEquals(1, RankingMetrics.rank(7, 0.5f, withIt, scoresWith, 0));
    }

    @Test
    void nanPositiveRanksLast() {
        assertEquals(3, RankingMetrics.rank(0, Float.NaN, new int[] {1, 2, 3}, new float[] {0.1f, Float.NaN, -5f}, 0));
    }

    @Test
    void nanCandidateRanksBelowThePositive() {
        assertEquals(1, RankingMetrics.rank(0, 0.5f, new int[] {1, 2, 3}, new float[] {Float.NaN, 0.6f, 0.1f}, 0));
    }

    @Test
    void fullRankSkipsExcludedItemsAndThePositive() {
        //            item:  0     1     2     3     4     5
        float[] scores = {0.9f, 0.4f, 0.8f, 0.5f, 0.5f, 0.7f};
        assertEquals(4, RankingMetrics.fullRank(scores, 3, new int[0]), "0, 2, 5 above, 4 ties");
        assertEquals(2, RankingMetrics.fullRank(scores, 3, new int[] {0, 5}));
        assertEquals(2, RankingMetrics.fullRank(scores, 3, new int[] {0, 3, 5}), "the positive in the exclusions");
        assertEquals(0, RankingMetrics.fullRank(scores, 0, new int[] {1, 2}));
        float[] nan = {Float.NaN, 0.1f, 0.2f};
        assertEquals(2, RankingMetrics.fullRank(nan, 0, new int[0]));
    }

    @Test
    void accumulatorAveragesHitRateAndNdcg() {
        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(3);
        assertEquals(0.0, acc.hitRate());
        assertEquals(0.0, acc.ndcg());
        acc.add(0);
        acc.add(2);
        acc.add(3);
        acc.add(50);
        assertEquals(3, acc.k());
        assertEquals(4, acc.count());
        assertEquals(0.5, acc.hitRate(), EPS);
        assertEquals((1.0 + 0.5) / 4, acc.ndcg(), EPS);
    }

    @Test
    void accumulatorNeedsPositiveK() {
        assertThrows(IllegalArgumentException.class, () -> new RankingMetrics.Accumulator(0));
    }
}
