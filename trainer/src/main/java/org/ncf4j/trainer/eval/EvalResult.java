package org.ncf4j.trainer.eval;

/**
 * HR@K and NDCG@K over the evaluated users.
 *
 * @param hitRate HR@K
 * @param ndcg NDCG@K
 * @param k the cut-off
 * @param users how many users were evaluated
 * @param seconds how long scoring and ranking took
 */
public record EvalResult(double hitRate, double ndcg, int k, int users, double seconds) {
}
