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

    /** b1^k, b2^k and r^k for the number k of skipped steps. */
    private final Powers decay1;
    private final Powers decay2;
    private final Powers ratioPowers;
    /** {@code T[s]} for s <= TABULATED; {@code T[TABULATED]} is the closed form of every later one. */
    private final double[] tail;

    SkippedSteps(float learningRate, float beta1, float beta2) {
        this.decay1 = new Powers(beta1);
        this.decay2 = new Powers(beta2);
        double ratio = beta1 / Math.sqrt(beta2);
        this.ratioPowers = new Powers(ratio);
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

    private double tail(long s) {
        return s >= TABULATED ? tail[TABULATED] : tail[(int) s];
    }

    /**
     * Brings {@code n} weights {@code w[wAt ..]} and their moments {@code state[mAt ..]} (first) and
     * {@code state[vAt ..]} (second) from the state after step {@code last} to dense Adam's state after step
     * {@code until}, in place. Nothing to do for a row never updated ({@code last = 0}: its moments are zero).
     *
     * <p>A moment that would decay below the smallest normal float (2^-126, about 1.2e-38) is set to zero, never
     * computed: a multiplication with a subnormal result costs a microcode assist, about a hundred cycles on x86,
     * where the whole catch-up of a row costs a few dozen. Rows of a large table skip hundreds of steps between uses
     * (a first moment of 1e-4 turns subnormal after about 740), so without this the cost per row grew with the
     * table. The values dropped are far below the weights' own precision: the weights come out the same.
     */
    void take(FloatBuffer w, int wAt, FloatBuffer state, int mAt, int vAt, int n, long last, long until) {
        long skipped = until - last;
        if (last <= 0 || skipped <= 0) {
            return;
        }
        double d1 = decay1.pow(skipped);
        double d2 = decay2.pow(skipped);
        // r^k from its own table, not as b1^k / sqrt(b2^k): beyond ~745,000 skipped steps (a rare row of a large
        // table) b2^k underflows to 0, and the quotient would be 0 / 0
        float s = (float) series(last, until, ratioPowers.pow(skipped));
        float decay1 = normal(d1);
        float decay2 = normal(d2);
        float floor1 = floor(d1);
        float floor2 = floor(d2);
        for (int i = 0; i < n; i++) {
            float mi = state.get(mAt + i);
            float vi = state.get(vAt + i);
            if (vi > 0) {
                w.put(wAt + i, w.get(wAt + i) - s * mi / (float) Math.sqrt(vi));
            }
            state.put(mAt + i, Math.abs(mi) < floor1 ? 0f : mi * decay1);
            state.put(vAt + i, vi < floor2 ? 0f : vi * decay2);
        }
    }

    /** A decay as a float, zero where it is below the normal floats. */
    private static float normal(double decay) {
        return decay < Float.MIN_NORMAL ? 0f : (float) decay;
    }

    /** The magnitude under which a value times {@code decay} would fall below the normal floats. */
    private static float floor(double decay) {
        return decay < Float.MIN_NORMAL ? Float.POSITIVE_INFINITY
                : (float) Math.min(Float.MAX_VALUE, Float.MIN_NORMAL / decay);
    }

    /**
     * Powers {@code b^k} of one base for integer k from two tables, {@code b^k = b^(1024 h) * b^l} for
     * {@code k = 1024 h + l}: a row's catch-up needs three powers, and {@code Math.pow} for each would cost about as
     * much as the row's arithmetic (a batch catches up hundreds of rows). Within a few units in the last place of
     * {@code Math.pow}.
     */
    static final class Powers {
        private static final int BITS = 10;
        private static final int SIZE = 1 << BITS;
        private final double base;
        private final double[] low = new double[SIZE];
        private final double[] high = new double[SIZE];

        Powers(double base) {
            this.base = base;
            for (int i = 0; i < SIZE; i++) {
                low[i] = Math.pow(base, i);
                high[i] = Math.pow(base, (double) i * SIZE);
            }
        }

        /** {@code base^k} for {@code k >= 0}. */
        double pow(long k) {
            if (k >= (long) SIZE * SIZE) {
                return Math.pow(base, k);
            }
            int i = (int) k;
            return high[i >>> BITS] * low[i & (SIZE - 1)];
        }
    }
}
