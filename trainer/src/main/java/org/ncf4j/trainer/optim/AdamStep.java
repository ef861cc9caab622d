package org.ncf4j.trainer.optim;

import java.nio.FloatBuffer;

/**
 * The arithmetic of one Adam step (Kingma and Ba, 2015) in PyTorch's formulation, shared by the dense and the
 * lazy (row-wise) updates: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}. Steps a row skipped are taken by
 * {@link SkippedSteps}.
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
    /** Step {@code t} (from 1) at learning rate {@code lr}. */
    static AdamStep at(long t, float lr, float beta1, float beta2, float epsilon) {
        float sqrtCorrection2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        return new AdamStep(beta1, beta2, epsilon, (float) (lr / (1 - Math.pow(beta1, t))), 1 / sqrtCorrection2,
                t, lr);
    }

    /**
     * Updates {@code n} weights {@code w[wAt ..]} from gradients {@code g[gAt ..]}, with their moments at
     * {@code m[mAt ..]} and {@code v[mAt ..]}.
     */
    void apply(float[] w, int wAt, float[] g, int gAt, float[] m, float[] v, int mAt, int n) {
        apply(w, wAt, g, gAt, m, mAt, v, mAt, n);
    }

    /** As above, with the second moments at {@code v[vAt ..]}. */
    void apply(float[] w, int wAt, float[] g, int gAt, float[] m, int mAt, float[] v, int vAt, int n) {
        for (int i = 0; i < n; i++) {
            float gi = g[gAt + i];
            float mi = firstMoment(m[mAt + i], gi);
            float vi = secondMoment(v[vAt + i], gi);
            m[mAt + i] = mi;
            v[vAt + i] = vi;
            w[wAt + i] -= change(mi, vi);
        }
    }

    /**
     * As above, in place in memory outside the heap: weights {@code w[wAt ..]}, and a row's optimizer state with
     * its first moments at {@code state[mAt ..]} and its second at {@code state[vAt ..]}. Each value is read and
     * written where it lies (an embedding row is short: copying it in and out would cost more than its arithmetic).
     */
    void apply(FloatBuffer w, int wAt, float[] g, int gAt, FloatBuffer state, int mAt, int vAt, int n) {
        for (int i = 0; i < n; i++) {
            float gi = g[gAt + i];
            float mi = firstMoment(state.get(mAt + i), gi);
            float vi = secondMoment(state.get(vAt + i), gi);
            state.put(mAt + i, mi);
            state.put(vAt + i, vi);
            w.put(wAt + i, w.get(wAt + i) - change(mi, vi));
        }
    }

    /** The first moment after gradient {@code g}. */
    private float firstMoment(float m, float g) {
        return beta1 * m + (1 - beta1) * g;
    }

    /** The second moment after gradient {@code g}. */
    private float secondMoment(float v, float g) {
        return beta2 * v + (1 - beta2) * g * g;
    }

    /** What the step subtracts from a weight whose moments are {@code m} and {@code v}. */
    private float change(float m, float v) {
        return stepSize * m / ((float) Math.sqrt(v) * inverseCorrection + epsilon);
    }
}
