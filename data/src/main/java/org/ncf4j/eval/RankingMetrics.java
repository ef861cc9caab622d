package org.ncf4j.eval;

import java.util.Arrays;

/**
 * HR@K and NDCG@K for one held-out item per user.
 *
 * <p>The rank of the held-out (positive) item is the number of other candidates placed above it. Ties are
 * resolved against the positive (a candidate scoring the same is placed above it), so a model that scores
 * everything alike gets no credit, and the result does not depend on candidate order. A candidate that is the
 * positive item itself (the NCF test files list the test item among its own negatives for 156 users) is neither
 * above nor below it: it is skipped. A NaN score ranks last.
 */
public final class RankingMetrics {
    private RankingMetrics() {
    }

    /**
     * The 0-based rank of the positive among sampled candidates.
     *
     * @param positive the held-out item
     * @param positiveScore its score
     * @param candidates the negatives it is ranked against
     * @param scores their scores, {@code scores[offset + j]} belonging to {@code candidates[j]}
     * @param offset where the candidates' scores start in {@code scores}
     */
    public static int rank(int positive, float positiveScore, int[] candidates, float[] scores, int offset) {
        int rank = 0;
        for (int j = 0; j < candidates.length; j++) {
            if (candidates[j] != positive && above(scores[offset + j], positiveScore)) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * The 0-based rank of the positive among all items but those excluded (the items the user interacted with
     * apart from the positive), given a score for every item.
     *
     * @param scores one score per item index
     * @param positive the held-out item
     * @param excludedSorted the items not to rank, sorted ascending
     */
    public static int fullRank(float[] scores, int positive, int[] excludedSorted) {
        float p = scores[positive];
        int rank = 0;
        for (int j = 0; j < scores.length; j++) {
            if (j != positive && above(scores[j], p) && Arrays.binarySearch(excludedSorted, j) < 0) {
                rank++;
            }
        }
        return rank;
    }

    private static boolean above(float candidate, float positive) {
        return Float.isNaN(positive) || candidate >= positive;
    }

    /** 1 when the rank is within the top k, else 0. */
    public static double hit(int rank, int k) {
        return rank < k ? 1.0 : 0.0;
    }

    /** 1 / log2(rank + 2) when the rank is within the top k, else 0. */
    public static double ndcg(int rank, int k) {
        return rank < k ? Math.log(2) / Math.log(rank + 2.0) : 0.0;
    }

    /** Averages HR@K and NDCG@K over users as their ranks are added. */
    public static final class Accumulator {
        private final int k;
        private double hits;
        private double gains;
        private int count;

        public Accumulator(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            this.k = k;
        }

        public void add(int rank) {
            hits += RankingMetrics.hit(rank, k);
            gains += RankingMetrics.ndcg(rank, k);
            count++;
        }

        public int k() {
            return k;
        }

        public int count() {
            return count;
        }

        public double hitRate() {
            return count == 0 ? 0 : hits / count;
        }

        public double ndcg() {
            return count == 0 ? 0 : gains / count;
        }
    }
}
