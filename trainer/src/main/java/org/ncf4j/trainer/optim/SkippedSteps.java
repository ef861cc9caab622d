package org.ncf4j.trainer.optim;

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
 * <p>The series' coefficients {@code lr_s / c_s} are tabulated for the first steps, where the bias corrections
 * still change; later they equal {@code lr} to float precision and the series is geometric, in closed form.
 */
final class SkippedSteps {
    /** Beyond this step, b2^s < 1e-7: the corrections are 1 to float precision. */
    private static final int TABULATED = 16_384;
    /** Terms of the series summed while the corrections change; the rest weighs less than (b1/sqrt(b2))^128 ~ 2e-6. */
    private static final int TERMS = 128;

    private final double beta1;
    private final double beta2;
    private final double learningRate;
    private final double ratio;
    /** {@code lr_s / c_s} for s < TABULATED + TERMS. */
    private final double[] coefficient;

    SkippedSteps(float learningRate, float beta1, float beta2) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.learningRate = learningRate;
        this.ratio = beta1 / Math.sqrt(beta2);
        coefficient = new double[TABULATED + TERMS + 1];
        double b1s = 1;
        double b2s = 1;
        for (int s = 1; s < coefficient.length; s++) {
            b1s *= beta1;
            b2s *= beta2;
            coefficient[s] = learningRate / (1 - b1s) * Math.sqrt(1 - b2s);
        }
    }

    /** The sum over skipped steps s in (last, until] of {@code (lr_s / c_s) (b1 / sqrt(b2))^(s - last)}. */
    double series(long last, long until) {
        long skipped = until - last;
        if (last >= TABULATED) {
            return learningRate * ratio * (1 - Math.pow(ratio, skipped)) / (1 - ratio);
        }
        double sum = 0;
        double rk = 1;
        long terms = Math.min(skipped, TERMS);
        for (int k = 1; k <= terms; k++) {
            rk *= ratio;
            sum += coefficient[(int) last + k] * rk;
        }
        return sum;
    }

    /**
     * Brings {@code n} weights {@code w[wAt ..]} and their moments {@code m[mAt ..]}, {@code v[vAt ..]} from the
     * state after step {@code last} to dense Adam's state after step {@code until}. Nothing to do for a row never
     * updated ({@code last = 0}: its moments are zero).
     */
    void take(float[] w, int wAt, float[] m, int mAt, float[] v, int vAt, int n, long last, long until) {
        long skipped = until - last;
        if (last <= 0 || skipped <= 0) {
            return;
        }
        float s = (float) series(last, until);
        float decay1 = (float) Math.pow(beta1, skipped);
        float decay2 = (float) Math.pow(beta2, skipped);
        for (int i = 0; i < n; i++) {
            float vi = v[vAt + i];
            if (vi > 0) {
                w[wAt + i] -= s * m[mAt + i] / (float) Math.sqrt(vi);
            }
            m[mAt + i] *= decay1;
            v[vAt + i] = vi * decay2;
        }
    }
}
