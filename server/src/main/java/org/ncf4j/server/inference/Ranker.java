package org.ncf4j.server.inference;

import ai.onnxruntime.OrtException;

/** Ranks the whole catalogue for a batch of users: the ranking graph in ONNX Runtime, or {@link FusedRanker}. */
public interface Ranker {
    /**
     * The k best items of each user, leaving out {@code exclude}: flattened rows of (position in {@code users},
     * item). When exclusions leave fewer than k items, excluded ones fill the end with score 0.
     */
    OnnxModel.Ranked rank(long[] users, long[] exclude, int k) throws OrtException;
}
