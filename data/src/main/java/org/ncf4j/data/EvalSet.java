package org.ncf4j.data;

/**
 * Held-out items for evaluation, one per evaluated user, each with its sampled negatives (99 in the NCF
 * protocol): user {@code users[i]} held out {@code positives[i]}, to be ranked against {@code negatives[i]}.
 */
public record EvalSet(int[] users, int[] positives, int[][] negatives) {

    public EvalSet {
        if (users.length != positives.length || users.length != negatives.length) {
            throw new IllegalArgumentException("users, positives and negatives differ in length");
        }
    }

    public int size() {
        return users.length;
    }

    /** Total number of candidates (positives plus negatives) to score. */
    public long candidates() {
        long n = 0;
        for (int[] neg : negatives) {
            n += 1 + neg.length;
        }
        return n;
    }
}
