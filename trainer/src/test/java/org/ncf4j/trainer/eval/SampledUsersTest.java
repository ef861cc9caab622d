package org.ncf4j.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.Interactions;
import org.ncf4j.data.LeaveOneOut;
import org.ncf4j.data.Split;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.eval.UserSample;
import org.ncf4j.trainer.model.NcfModel;

/**
 * Streamed evaluation gives the same figures whatever the chunks and threads, and a sample of users is seeded,
 * nested, and the whole set when it covers every user.
 */
class SampledUsersTest {
    private static final int USERS = 300;
    private static final int ITEMS = 80;

    private static Split split() {
        SplittableRandom r = new SplittableRandom(5);
        Interactions.Builder b = new Interactions.Builder();
        for (int u = 0; u < USERS; u++) {
            for (int k = 0; k < 6; k++) {
                b.add("u" + u, Integer.toString(r.nextInt(ITEMS)), k);
            }
        }
        return new LeaveOneOut(true, 20, 3).split("t", b.build("t"));
    }

    private static NcfModel model(Split s) {
        return NcfModel.create(new ModelShape(Variant.NEUMF, s.numUsers(), s.numItems(), 4, new int[] {8, 4}),
                Device.cpu(), 2, 0, 0);
    }

    @Test
    void figuresDoNotDependOnChunksOrThreads() {
        Split s = split();
        try (NcfModel m = model(s); EvalThreads two = new EvalThreads(2)) {
            EvalResult one = new SampledEvaluator(s.test(), 10, 1 << 16).evaluate(m);
            for (int pairs : new int[] {1, 21, 100, 1000}) {
                for (EvalThreads t : new EvalThreads[] {new EvalThreads(1), two}) {
                    EvalResult r = new SampledEvaluator(s.test(), 10, pairs, t).evaluate(m);
                    assertEquals(one.hitRate(), r.hitRate(), pairs + " pairs per call, " + t.threads() + " threads");
                    assertEquals(one.ndcg(), r.ndcg(), pairs + " pairs per call, " + t.threads() + " threads");
                    assertEquals(s.test().size(), r.users());
                }
            }
            EvalResult full = new FullRankingEvaluator(s.test(), s.train(), s.validation(), 10, 1 << 16).evaluate(m);
            for (int pairs : new int[] {7, ITEMS, 5 * ITEMS}) {
                EvalResult r = new FullRankingEvaluator(s.test(), s.train(), s.validation(), 10, pairs, two)
                        .evaluate(m);
                assertEquals(full.hitRate(), r.hitRate(), pairs + " pairs per call");
                assertEquals(full.ndcg(), r.ndcg(), pairs + " pairs per call");
            }
        }
    }

    @Test
    void theSampledFiguresAreThoseOfTheSampledUsersAndCoveringEveryUserIsTheWholeSet() {
        Split s = split();
        int n = s.test().size();
        assertSame(s.test(), s.test().sample(s.users(), 0, 1));
        assertSame(s.test(), s.test().sample(s.users(), n, 1));
        EvalUsers all = EvalUsers.of(s, n, 0, 1);
        try (NcfModel m = model(s)) {
            EvalResult whole = new SampledEvaluator(s.test(), 10, 1000).evaluate(m);
            EvalResult covering = new SampledEvaluator(all.test(), 10, 1000).evaluate(m);
            assertSame(s.test(), all.test(), "a sample covering every user is the whole set");
            assertEquals(whole.hitRate(), covering.hitRate());
            assertEquals(whole.ndcg(), covering.ndcg());
            // a sample's figures are the mean over its users of the unsampled ranks
            var sample = s.test().sample(s.users(), 50, 9);
            RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(10);
            for (int i = 0; i < sample.size(); i++) {
                int row = Arrays.binarySearch(s.test().users(), sample.users()[i]);
                int[] neg = s.test().negatives(row);
                float[] scores = m.logits(rowUsers(sample.users()[i], neg.length + 1),
                        concat(s.test().positives()[row], neg), 0, neg.length + 1);
                acc.add(RankingMetrics.rank(s.test().positives()[row], scores[0], neg, scores, 1));
            }
            EvalResult r = new SampledEvaluator(sample, 10, 100, new EvalThreads(1)).evaluate(m);
            assertEquals(50, r.users());
            assertEquals(acc.hitRate(), r.hitRate());
            assertEquals(acc.ndcg(), r.ndcg());
        }
    }

    @Test
    void theSampleIsSeededNestedAndLogged() {
        Split s = split();
        var a = s.test().sample(s.users(), 40, 7);
        var b = s.test().sample(s.users(), 40, 7);
        var c = s.test().sample(s.users(), 40, 8);
        var small = s.test().sample(s.users(), 10, 7);
        assertArrayEquals(a.users(), b.users());
        assertNotEquals(Arrays.toString(a.users()), Arrays.toString(c.users()));
        assertEquals(40, a.size());
        for (int u : small.users()) {
            assertTrue(Arrays.stream(a.users()).anyMatch(x -> x == u), "the smaller sample lies within the larger");
        }
        EvalUsers users = EvalUsers.of(s, 40, 10, 7);
        assertArrayEquals(small.users(), users.fullRanking().users());
        assertTrue(users.describe(2).startsWith("each epoch ranks 40 of " + s.test().size()
                + " users (seeded sample) (and 40 validation users): "), users.describe(2));
        assertEquals(40, users.report(true).get("evaluatedUsers"));
        assertEquals(10, users.report(true).get("fullRankingUsers"));
        assertEquals(s.test().size(), users.report(true).get("testUsers"));
        assertEquals("all 5 users", UserSample.describe(5, 5));
    }

    private static int[] rowUsers(int u, int n) {
        int[] a = new int[n];
        Arrays.fill(a, u);
        return a;
    }

    private static int[] concat(int first, int[] rest) {
        int[] a = new int[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
