package org.ncf4j.trainer.eval;

import java.util.Arrays;
import org.ncf4j.data.EvalSet;
import org.ncf4j.data.UserItems;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.trainer.model.NcfModel;

/**
 * Full-ranking HR@K and NDCG@K: each user's held-out item ranked against every item the user has not
 * interacted with (training items and the other held-out item are left out). Sampled metrics can rank models
 * differently from full ranking, so both are reported. Users are ranked one at a time per thread
 * ({@link EvalThreads}), the catalogue scored in forward passes of at most {@code pairsPerCall} pairs.
 */
public final class FullRankingEvaluator {
    private final EvalSet set;
    private final UserItems train;
    private final EvalSet other;
    private final int k;
    private final int pairsPerCall;
    private final EvalThreads threads;

    /** An evaluator scoring on the calling thread. */
    public FullRankingEvaluator(EvalSet set, UserItems train, EvalSet other, int k, int pairsPerCall) {
        this(set, train, other, k, pairsPerCall, new EvalThreads(1));
    }

    /**
     * @param set the held-out items to rank (a sample of them already, when sampled)
     * @param train the training items, excluded from ranking
     * @param other the other held-out set (validation when ranking test items), also excluded; may be null
     * @param k the cut-off
     * @param pairsPerCall at most how many pairs to score per forward pass
     */
    public FullRankingEvaluator(EvalSet set, UserItems train, EvalSet other, int k, int pairsPerCall,
                                EvalThreads threads) {
        this.set = set;
        this.train = train;
        this.other = other;
        this.k = k;
        this.pairsPerCall = pairsPerCall;
        this.threads = threads;
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
        int usersPerCall = Math.max(1, pairsPerCall / numItems);
        int slice = Math.min(numItems, pairsPerCall);
        int[] ranks = new int[set.size()];
        float[][] rows = new float[threads.threads()][];
        threads.forChunks(set.size(), usersPerCall, (worker, from, to) -> {
            int count = to - from;
            float[] row = rows[worker] == null ? rows[worker] = new float[numItems] : rows[worker];
            if (count == 1) { // one user: the catalogue in slices
                int u = set.users()[from];
                int[] users = new int[slice];
                Arrays.fill(users, u);
                int[] items = new int[slice];
                for (int start = 0; start < numItems; start += slice) {
                    int len = Math.min(slice, numItems - start);
                    for (int j = 0; j < len; j++) {
                        items[j] = start + j;
                    }
                    System.arraycopy(model.logits(users, items, 0, len), 0, row, start, len);
                }
                ranks[from] = RankingMetrics.fullRank(row, set.positives()[from], excluded(u, otherItem[u]));
                return;
            }
            int[] users = new int[count * numItems];
            int[] items = new int[count * numItems];
            for (int b = 0; b < count; b++) {
                Arrays.fill(users, b * numItems, (b + 1) * numItems, set.users()[from + b]);
                for (int j = 0; j < numItems; j++) {
                    items[b * numItems + j] = j;
                }
            }
            float[] scores = model.logits(users, items, 0, count * numItems);
            for (int b = 0; b < count; b++) {
                int u = set.users()[from + b];
                System.arraycopy(scores, b * numItems, row, 0, numItems);
                ranks[from + b] = RankingMetrics.fullRank(row, set.positives()[from + b], excluded(u, otherItem[u]));
            }
        });
        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(k);
        for (int rank : ranks) {
            acc.add(rank);
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
