package org.ncf4j.trainer.sampling;

/**
 * One epoch of training examples in training order. {@code signs[i]} is -1 for a positive and +1 for a
 * negative, so the binary cross-entropy of a logit x is {@code softplus(signs[i] * x)}.
 */
public record EpochExamples(int epoch, int[] users, int[] items, float[] signs, int positives, int negatives) {

    public int size() {
        return users.length;
    }
}
