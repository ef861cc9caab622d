package org.ncf4j.server.compute;

/**
 * Ranks the whole catalogue for a batch of users: the ranking graph in ONNX Runtime, or the fused Java kernel.
 * Implementations are thread-safe.
 */
public interface Ranker {
    /**
     * The k best items of each user, leaving out {@code exclude}: flattened rows of (position in {@code users},
     * item). When exclusions leave fewer than k items, excluded ones fill the end with score 0.
     *
     * @throws org.ncf4j.server.error.ServingException INTERNAL when the runtime fails to run the model
     * @throws IllegalArgumentException for an index outside the model (callers pass checked indices)
     */
    Rankings rank(long[] users, long[] exclude, int k);
}
