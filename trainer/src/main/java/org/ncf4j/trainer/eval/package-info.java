/**
 * Evaluation of a model on held-out items, HR@K and NDCG@K: by the NCF protocol, each user's item ranked against its
 * sampled negatives after every epoch ({@link org.ncf4j.trainer.eval.SampledEvaluator}), and against every item the
 * user has not interacted with at the end of a run ({@link org.ncf4j.trainer.eval.FullRankingEvaluator}). The metrics
 * themselves are {@link org.ncf4j.eval.RankingMetrics}, which {@code ncf evaluate} shares.
 */
package org.ncf4j.trainer.eval;
