package org.ncf4j.trainer.eval;

import java.util.Arrays;
import org.ncf4j.data.EvalSet;
import org.ncf4j.data.UserItems;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.trainer.model.NcfModel;

/**
 * Full-ranking HR@K and NDCG@K: each user's held-out item ranked against every item the user has not
 * interacted with (training items and the other held-out item are left out). Sampled metrics can rank models
 * differently from full ranking, so both are reported.
 */
public final class FullRankingEvaluator {
    private final EvalSet set;
    private final UserItems train;
    private final EvalSet other;
    private final int k;
    private final int usersPerBatch;

    /**
     * @param set the held-out items to rank
     * @param train the training items, excluded from ranking
     * @param other the other held-out set (validation when ranking test items), also excluded; may be null
     * @param k the cut-off
     * @param maxBatch about how many pairs to score per call
     */
    public FullRankingEvaluator(EvalSet set, UserItems train, EvalSet other, int k, int maxBatch) {
        this.set = set;
        this.train = train;
        this.other = other;
        this.k = k;
        this.usersPerBatch = Math.max(1, maxBatch / train.numItems());
    }

    public EvalResult evaluate(NcfModel model) {
        long t0 = System.nanoTime();
        int numItems = train.numItems();
        int[] otherItem = new int[train.numUsers()];
        Arrays.fill(otherItem, -1);
        if (other != null) {
            for (int i = 0; i < other.size(); i++) {
                otherItem[other.users()[i]] = other.positives()[i];
            }
        }
        int[] users = new int[usersPerBatch * numItems];
        int[] items = new int[usersPerBatch * numItems];
        for (int b = 0; b < usersPerBatch; b++) {
            for (int j = 0; j < numItems; j++) {
                items[b * numItems + j] = j;
            }
        }
        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(k);
        float[] row = new float[numItems];
        for (int start = 0; start < set.size(); start += usersPerBatch) {
            int count = Math.min(usersPerBatch, set.size() - start);
            for (int b = 0; b < count; b++) {
                Arrays.fill(users, b * numItems, (b + 1) * numItems, set.users()[start + b]);
            }
            float[] scores = model.logits(users, items, 0, count * numItems);
            for (int b = 0; b < count; b++) {
                int u = set.users()[start + b];
                System.arraycopy(scores, b * numItems, row, 0, numItems);
                acc.add(RankingMetrics.fullRank(row, set.positives()[start + b], excluded(u, otherItem[u])));
            }
        }
        return new EvalResult(acc.hitRate(), acc.ndcg(), k, acc.count(), (System.nanoTime() - t0) / 1e9);
    }

    private int[] excluded(int user, int otherItem) {
        int[] seen = train.items(user);
        if (otherItem < 0 || Arrays.binarySearch(seen, otherItem) >= 0) {
            return seen;
        }
        int[] out = Arrays.copyOf(seen, seen.length + 1);
        out[seen.length] = otherItem;
        Arrays.sort(out);
        return out;
    }
}
