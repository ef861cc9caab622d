package org.ncf4j.server.inference;

import ai.onnxruntime.OrtException;

/** Scores (user, item) pairs: the scoring graph in ONNX Runtime, or {@link FusedRanker} computing the same. */
public interface PairScorer {
    /** Probabilities and logits of (users[i], items[i]), dense indices, in order. */
    OnnxModel.Scored score(long[] users, long[] items) throws OrtException;
}
