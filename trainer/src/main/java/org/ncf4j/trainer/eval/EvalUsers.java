package org.ncf4j.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.data.EvalSet;
import org.ncf4j.data.Split;
import org.ncf4j.eval.UserSample;

/**
 * The held-out users a run ranks: every test (and validation) user, or past {@code --eval-users} a seeded sample
 * of them ({@link UserSample}, the run's seed), and for the full ranking at most {@code --full-ranking-users}
 * test users chosen the same way (within the per-epoch sample when smaller).
 *
 * @param test the test users each epoch ranks
 * @param validation the validation users each epoch ranks, or null without validation items
 * @param fullRanking the test users the full ranking ranks
 * @param testUsers how many test users the split holds
 * @param seed the sample's seed
 */
public record EvalUsers(EvalSet test, EvalSet validation, EvalSet fullRanking, int testUsers, long seed) {

    /** The users of {@code split} to rank with these sample sizes (0: all). */
    public static EvalUsers of(Split split, int evalUsers, int fullRankingUsers, long seed) {
        EvalSet test = split.test().sample(split.users(), evalUsers, seed);
        EvalSet validation = split.validation() == null ? null
                : split.validation().sample(split.users(), evalUsers, seed);
        EvalSet full = split.test().sample(split.users(), fullRankingUsers, seed);
        return new EvalUsers(test, validation, full, split.test().size(), seed);
    }

    /** One line for the log: how many users and candidates each epoch ranks. */
    public String describe(int threads) {
        return String.format("each epoch ranks %s%s: %,d candidates on %d thread%s", UserSample.describe(test.size(),
                testUsers), validation == null ? "" : String.format(" (and %,d validation users)", validation.size()),
                test.candidates() + (validation == null ? 0 : validation.candidates()), threads,
                threads == 1 ? "" : "s");
    }

    /** The report's record of it ({@link org.ncf4j.trainer.report.TrainingReport#evaluation()}). */
    public Map<String, Object> report(boolean withFullRanking) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("testUsers", testUsers);
        m.put("evaluatedUsers", test.size());
        if (validation != null) {
            m.put("validationUsers", validation.size());
        }
        m.put("candidates", test.candidates());
        if (withFullRanking) {
            m.put("fullRankingUsers", fullRanking.size());
        }
        m.put("sampleSeed", seed);
        return m;
    }
}
