package org.ncf4j.trainer.eval;

import org.ncf4j.data.EvalSet;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.trainer.model.NcfModel;

/**
 * The NCF protocol: each user's held-out item ranked against its sampled negatives (99 in the paper), HR@K and
 * NDCG@K averaged over users. The candidates are laid out once as flat arrays and scored in large batches.
 */
public final class SampledEvaluator {
    private final EvalSet set;
    private final int k;
    private final int batch;
    private final int[] users;
    private final int[] items;
    private final int[] offsets;

    public SampledEvaluator(EvalSet set, int k, int batch) {
        this.set = set;
        this.k = k;
        this.batch = batch;
        int n = Math.toIntExact(set.candidates());
        users = new int[n];
        items = new int[n];
        offsets = new int[set.size()];
        int at = 0;
        for (int i = 0; i < set.size(); i++) {
            offsets[i] = at;
            int u = set.users()[i];
            users[at] = u;
            items[at++] = set.positives()[i];
            for (int neg : set.negatives(i)) {
                users[at] = u;
                items[at++] = neg;
            }
        }
    }

    /** Number of (user, item) pairs scored per evaluation. */
    public int candidates() {
        return users.length;
    }

    public EvalResult evaluate(NcfModel model) {
        long t0 = System.nanoTime();
        float[] scores = new float[users.length];
        for (int from = 0; from < users.length; from += batch) {
            int len = Math.min(batch, users.length - from);
            System.arraycopy(model.logits(users, items, from, len), 0, scores, from, len);
        }
        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(k);
        for (int i = 0; i < set.size(); i++) {
            int off = offsets[i];
            acc.add(RankingMetrics.rank(set.positives()[i], scores[off], set.negatives(i), scores, off + 1));
        }
        return new EvalResult(acc.hitRate(), acc.ndcg(), k, acc.count(), (System.nanoTime() - t0) / 1e9);
    }
}
