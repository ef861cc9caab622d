package org.ncf4j.trainer.optim;

import java.nio.FloatBuffer;

/**
 * The zero-gradient steps an embedding row skipped (the steps of batches that did not use it), taken at once:
 * dense Adam's result for that row, at the cost of one row. Between its update at step {@code last} and step
 * {@code until}, dense Adam decays the row's moments, {@code m *= b1} and {@code v *= b2} at each step, and moves
 * its weights by {@code lr_s m_s / (sqrt(v_s) c_s)} at each step s, with the bias corrections
 * {@code lr_s = lr / (1 - b1^s)} and {@code c_s = 1 / sqrt(1 - b2^s)}. Since {@code m_s / sqrt(v_s) =
 * (b1 / sqrt(b2))^k m / sqrt(v)} for the k-th skipped step, the whole move is one scalar series per row times
 * {@code m / sqrt(v)}. Epsilon is left out of the skipped steps (it matters only for moments near zero, whose
 * steps are near zero too).
 *
 * <p>The series' coefficients {@code lr_s / c_s} change while the bias corrections do (the first steps) and equal
 * {@code lr} to float precision after. A catch-up costs the same however many steps a row skipped, which is what
 * keeps the cost of a step flat in the size of the tables (rows of a large table skip many steps between uses):
 * with the tail sums {@code T[s] = sum over j > s of (lr_j / c_j) r^(j - s)}, {@code r = b1 / sqrt(b2)}, tabulated
 * for the first steps and in closed form after, the series over {@code (last, until]} is
 * {@code T[last] - r^(until - last) T[until]}.
 */
final class SkippedSteps {
    /** Beyond this step, b2^s < 1e-7: the corrections are 1 to float precision, and the tail sums constant. */
    private static final int TABULATED = 16_384;

    private final double beta1;
    private final double beta2;
    private final double ratio;
    /** {@code T[s]} for s <= TABULATED; {@code T[TABULATED]} is the closed form of every later one. */
    private final double[] tail;

    SkippedSteps(float learningRate, float beta1, float beta2) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.ratio = beta1 / Math.sqrt(beta2);
        tail = new double[TABULATED + 1];
        tail[TABULATED] = learningRate * ratio / (1 - ratio); // sum of lr r^k over k >= 1
        for (int s = TABULATED - 1; s >= 0; s--) {
            // the coefficient of step s + 1: lr / (1 - b1^(s+1)) * sqrt(1 - b2^(s+1))
            double coefficient = learningRate / (1 - Math.pow(beta1, s + 1)) * Math.sqrt(1 - Math.pow(beta2, s + 1));
            tail[s] = ratio * (coefficient + tail[s + 1]);
        }
    }

    /**
     * The sum over skipped steps s in (last, until] of {@code (lr_s / c_s) (b1 / sqrt(b2))^(s - last)}, given
     * {@code ratioPower = r^(until - last)}.
     */
    double series(long last, long until, double ratioPower) {
        return tail(last) - ratioPower * tail(until);
    }

    /** As above, computing the power. */
    double series(long last, long until) {
        return series(last, until, Math.pow(ratio, until - last));
    }

    private double tail(long s) {
        return s >= TABULATED ? tail[TABULATED] : tail[(int) s];
    }

    /**
     * Brings {@code n} weights {@code w[wAt ..]} and their moments {@code state[mAt ..]} (first) and
     * {@code state[vAt ..]} (second) from the state after step {@code last} to dense Adam's state after step
     * {@code until}, in place. Nothing to do for a row never updated ({@code last = 0}: its moments are zero).
     */
    void take(FloatBuffer w, int wAt, FloatBuffer state, int mAt, int vAt, int n, long last, long until) {
        long skipped = until - last;
        if (last <= 0 || skipped <= 0) {
            return;
        }
        double d1 = Math.pow(beta1, skipped);
        double d2 = Math.pow(beta2, skipped);
        float s = (float) series(last, until, d1 / Math.sqrt(d2)); // r^k = b1^k / sqrt(b2^k)
        float decay1 = (float) d1;
        float decay2 = (float) d2;
        for (int i = 0; i < n; i++) {
            float mi = state.get(mAt + i);
            float vi = state.get(vAt + i);
            if (vi > 0) {
                w.put(wAt + i, w.get(wAt + i) - s * mi / (float) Math.sqrt(vi));
            }
            state.put(mAt + i, mi * decay1);
            state.put(vAt + i, vi * decay2);
        }
    }
}
