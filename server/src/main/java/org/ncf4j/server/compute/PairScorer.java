package org.ncf4j.server.compute;

/**
 * Scores (user, item) pairs: the scoring graph in ONNX Runtime, or the fused Java kernel computing the same.
 * Implementations are thread-safe.
 */
public interface PairScorer {
    /**
     * Probabilities and logits of (users[i], items[i]), dense indices, in order.
     *
     * @throws org.ncf4j.server.error.ServingException INTERNAL when the runtime fails to run the model
     * @throws IllegalArgumentException for an index outside the model (callers pass checked indices)
     */
    PairScores score(long[] users, long[] items);
}
