package org.ncf4j.trainer.eval;

import org.ncf4j.data.EvalSet;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.trainer.model.NcfModel;

/**
 * The NCF protocol: each user's held-out item ranked against its negatives (99 in the paper), HR@K and NDCG@K
 * averaged over users. Streamed: the candidates of a chunk of users (about {@code pairsPerCall} pairs) are drawn,
 * scored in one forward pass without gradients and ranked on one of the {@link EvalThreads}, so memory holds a
 * chunk per thread, never every user's candidates. The figures do not depend on the chunk size or the threads.
 */
public final class SampledEvaluator {
    private final EvalSet set;
    private final int k;
    private final int usersPerChunk;
    private final EvalThreads threads;

    /** An evaluator scoring on the calling thread. */
    public SampledEvaluator(EvalSet set, int k, int pairsPerCall) {
        this(set, k, pairsPerCall, new EvalThreads(1));
    }

    /**
     * @param set the held-out items to rank (a sample of them already, when sampled)
     * @param pairsPerCall about how many (user, item) pairs to score per forward pass
     */
    public SampledEvaluator(EvalSet set, int k, int pairsPerCall, EvalThreads threads) {
        this.set = set;
        this.k = k;
        int perUser = set.size() == 0 ? 1 : 1 + set.negativeCount(0);
        this.usersPerChunk = Math.max(1, pairsPerCall / perUser);
        this.threads = threads;
    }

    /** The users ranked. */
    public int users() {
        return set.size();
    }

    /** Number of (user, item) pairs scored per evaluation. */
    public long candidates() {
        return set.candidates();
    }

    public EvalResult evaluate(NcfModel model) {
        long t0 = System.nanoTime();
        int[] ranks = new int[set.size()];
        threads.forChunks(set.size(), usersPerChunk, (worker, from, to) -> rank(model, from, to, ranks));
        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(k);
        for (int rank : ranks) {
            acc.add(rank);
        }
        return new EvalResult(acc.hitRate(), acc.ndcg(), k, acc.count(), (System.nanoTime() - t0) / 1e9);
    }

    /** Draws, scores and ranks the candidates of rows {@code [from, to)}. */
    private void rank(NcfModel model, int from, int to, int[] ranks) {
        int[][] negatives = new int[to - from][];
        int pairs = 0;
        for (int i = from; i < to; i++) {
            negatives[i - from] = set.negatives(i);
            pairs += 1 + negatives[i - from].length;
        }
        int[] users = new int[pairs];
        int[] items = new int[pairs];
        int at = 0;
        for (int i = from; i < to; i++) {
            int u = set.users()[i];
            users[at] = u;
            items[at++] = set.positives()[i];
            for (int neg : negatives[i - from]) {
                users[at] = u;
                items[at++] = neg;
            }
        }
        float[] scores = model.logits(users, items, 0, pairs);
        at = 0;
        for (int i = from; i < to; i++) {
            int[] neg = negatives[i - from];
            ranks[i] = RankingMetrics.rank(set.positives()[i], scores[at], neg, scores, at + 1);
            at += 1 + neg.length;
        }
    }
}
