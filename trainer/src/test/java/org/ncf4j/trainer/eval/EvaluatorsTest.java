package org.ncf4j.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ncf4j.data.EvalNegatives;
import org.ncf4j.data.EvalSet;
import org.ncf4j.data.UserItems;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.contract.Variant;

/** The batched evaluators agree with scoring one pair at a time and ranking by hand. */
class EvaluatorsTest {
    private static final int USERS = 9;
    private static final int ITEMS = 23;

    private static UserItems train() {
        SplittableRandom r = new SplittableRandom(4);
        int[] u = new int[60];
        int[] it = new int[60];
        for (int i = 0; i < 60; i++) {
            u[i] = r.nextInt(USERS);
            it[i] = r.nextInt(ITEMS);
        }
        return UserItems.of(USERS, ITEMS, u, it, 60);
    }

    private static EvalSet heldOut(UserItems train, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] users = new int[USERS];
        int[] positives = new int[USERS];
        int[][] negatives = new int[USERS][];
        for (int u = 0; u < USERS; u++) {
            users[u] = u;
            int p;
            do {
                p = r.nextInt(ITEMS);
            } while (train.contains(u, p));
            positives[u] = p;
            negatives[u] = EvalNegatives.sample(train, u, 7, r);
        }
        return new EvalSet(users, positives, negatives);
    }

    private static float score(NcfModel m, int u, int i) {
        return m.logits(new int[] {u}, new int[] {i}, 0, 1)[0];
    }

    @Test
    void sampledEvaluationMatchesPairByPairRanking() {
        UserItems train = train();
        EvalSet set = heldOut(train, 1);
        try (NcfModel m = NcfModel.create(new ModelShape(Variant.NEUMF, USERS, ITEMS, 4, new int[] {8, 4}),
                Device.cpu(), 2, 0, 0)) {
            RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(3);
            for (int k = 0; k < set.size(); k++) {
                int u = set.users()[k];
                float pos = score(m, u, set.positives()[k]);
                int rank = 0;
                for (int neg : set.negatives(k)) {
                    if (neg != set.positives()[k] && score(m, u, neg) >= pos) {
                        rank++;
                    }
                }
                acc.add(rank);
            }
            EvalResult r = new SampledEvaluator(set, 3, 10).evaluate(m);
            assertEquals(acc.hitRate(), r.hitRate(), 1e-12);
            assertEquals(acc.ndcg(), r.ndcg(), 1e-12);
            assertEquals(USERS, r.users());
        }
    }

    @Test
    void fullRankingRanksAgainstEveryItemTheUserHasNotSeen() {
        UserItems train = train();
        EvalSet test = heldOut(train, 1);
        EvalSet validation = heldOut(train, 2);
        try (NcfModel m = NcfModel.create(new ModelShape(Variant.GMF, USERS, ITEMS, 4, new int[] {8, 4}),
                Device.cpu(), 3, 0, 0)) {
            RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(5);
            for (int k = 0; k < test.size(); k++) {
                int u = test.users()[k];
                int positive = test.positives()[k];
                float pos = score(m, u, positive);
                int rank = 0;
                for (int j = 0; j < ITEMS; j++) {
                    boolean excluded = j == positive || train.contains(u, j) || j == validation.positives()[k];
                    if (!excluded && score(m, u, j) >= pos) {
                        rank++;
                    }
                }
                acc.add(rank);
            }
            // 2 users per batch, so batches are partly filled at the end
            EvalResult r = new FullRankingEvaluator(test, train, validation, 5, 2 * ITEMS).evaluate(m);
            assertEquals(acc.hitRate(), r.hitRate(), 1e-12);
            assertEquals(acc.ndcg(), r.ndcg(), 1e-12);
            assertEquals(Arrays.stream(test.users()).count(), r.users());
        }
    }
}
