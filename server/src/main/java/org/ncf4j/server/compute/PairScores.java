package org.ncf4j.server.compute;

/** Probabilities and logits of scored pairs, in the order of the pairs. */
public record PairScores(float[] scores, float[] logits) {
}
