package org.ncf4j.trainer.train;

/**
 * The arithmetic of one Adam step (Kingma and Ba, 2015) in PyTorch's formulation, shared by the dense and the
 * lazy (row-wise) updates: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
 *
 * @param beta1 decay of the first moment
 * @param beta2 decay of the second moment
 * @param epsilon added to the denominator
 * @param stepSize {@code lr / (1 - b1^t)}
 * @param inverseCorrection {@code 1 / sqrt(1 - b2^t)}
 * @param t the step (from 1)
 * @param learningRate lr
 */
record AdamStep(float beta1, float beta2, float epsilon, float stepSize, float inverseCorrection, long t,
                float learningRate) {
    /** Skipped steps beyond this many add less than 0.2% to a catch-up (their weight decays as 0.9^k). */
    private static final int CATCH_UP_TERMS = 64;

    /** Step {@code t} (from 1) at learning rate {@code lr}. */
    static AdamStep at(long t, float lr, float beta1, float beta2, float epsilon) {
        float sqrtCorrection2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        return new AdamStep(beta1, beta2, epsilon, (float) (lr / (1 - Math.pow(beta1, t))), 1 / sqrtCorrection2,
                t, lr);
    }

    /**
     * Brings {@code n} weights and their moments from the state after step {@code last} to the state dense Adam
     * would have after step {@code until}, had their gradient been zero in between (the steps of batches that did
     * not use them): the moments decay, {@code m *= b1^K} and {@code v *= b2^K}, and the weights keep moving with
     * the decaying momentum, {@code w -= sum over skipped steps s of lr_s m_s / (sqrt(v_s) c_s)} where
     * {@code m_s / sqrt(v_s) = (b1 / sqrt(b2))^k m / sqrt(v)}, one scalar series per row. Epsilon is left out of
     * the skipped steps (it matters only for moments near zero, whose steps are near zero too).
     */
    void catchUp(float[] w, int wAt, float[] m, float[] v, int mAt, int n, long last, long until) {
        long skipped = until - last;
        if (last <= 0 || skipped <= 0) {
            return;
        }
        double r = beta1 / Math.sqrt(beta2);
        double series = 0;
        double rk = 1;
        double b1s = Math.pow(beta1, last);
        double b2s = Math.pow(beta2, last);
        long terms = Math.min(skipped, CATCH_UP_TERMS);
        for (int k = 1; k <= terms; k++) {
            rk *= r;
            b1s *= beta1;
            b2s *= beta2;
            series += learningRate / (1 - b1s) * Math.sqrt(1 - b2s) * rk;
        }
        float decay1 = (float) Math.pow(beta1, skipped);
        float decay2 = (float) Math.pow(beta2, skipped);
        float s = (float) series;
        for (int i = 0; i < n; i++) {
            float vi = v[mAt + i];
            if (vi > 0) {
                w[wAt + i] -= s * m[mAt + i] / (float) Math.sqrt(vi);
            }
            m[mAt + i] *= decay1;
            v[mAt + i] = vi * decay2;
        }
    }

    /**
     * Updates {@code n} weights {@code w[wAt ..]} from gradients {@code g[gAt ..]}, with their moments at
     * {@code m[mAt ..]} and {@code v[mAt ..]}.
     */
    void apply(float[] w, int wAt, float[] g, int gAt, float[] m, float[] v, int mAt, int n) {
        float b1 = beta1;
        float b2 = beta2;
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        float eps = epsilon;
        float lr = stepSize;
        float ic = inverseCorrection;
        for (int i = 0; i < n; i++) {
            float gi = g[gAt + i];
            float mi = b1 * m[mAt + i] + c1 * gi;
            float vi = b2 * v[mAt + i] + c2 * gi * gi;
            m[mAt + i] = mi;
            v[mAt + i] = vi;
            w[wAt + i] -= lr * mi / ((float) Math.sqrt(vi) * ic + eps);
        }
    }
}
