package org.ncf4j.server.model;

import org.ncf4j.bundle.Bundle;
import org.ncf4j.server.compute.PairScorer;
import org.ncf4j.server.compute.PairScores;
import org.ncf4j.server.compute.Ranker;
import org.ncf4j.server.compute.Rankings;

/**
 * Whether two rankers give the same answers on a probe of a bundle's users (spread over the id range, their seen
 * items excluded, k up to 50): at every rank the same probability within {@link #TOLERANCE}, and the same item
 * unless the reference holds a near tie there (then the item must be among the reference's equally scored ones).
 * The loader serves with the fused kernel only when it agrees with the bundle's graphs so.
 */
public final class RankerCheck {
    /** Probabilities may differ by float rounding in another order of operations; nothing more. */
    public static final float TOLERANCE = 1e-5f;
    /** Logits, relative to their size where over 1: rounding in a deep tower moves a logit by about 1e-5. */
    public static final float LOGIT_TOLERANCE = 1e-4f;
    private static final int PROBE_USERS = 16;
    private static final int PROBE_ITEMS = 97;

    private RankerCheck() {
    }

    /** Null when {@code candidate} agrees with {@code reference}, else what differed first. */
    public static String disagreement(Ranker candidate, Ranker reference, Bundle bundle) {
        return disagreement(candidate, reference, bundle, PROBE_USERS);
    }

    /**
     * As {@link #disagreement(Ranker, Ranker, Bundle)}, ranking at most {@code usersPerRun} users per run (a large
     * catalogue's intermediate tensors take hundreds of MiB per user).
     */
    public static String disagreement(Ranker candidate, Ranker reference, Bundle bundle, int usersPerRun) {
        int users = bundle.card().numUsers();
        int n = Math.min(PROBE_USERS, users);
        int k = Math.min(50, bundle.card().numItems());
        for (int from = 0; from < n; from += Math.max(1, usersPerRun)) {
            int m = Math.min(Math.max(1, usersPerRun), n - from);
            long[] probe = new long[m];
            int pairs = 0;
            for (int i = 0; i < m; i++) {
                probe[i] = (long) (from + i) * users / n;
                pairs += bundle.seen().items((int) probe[i]).length;
            }
            long[] exclude = new long[2 * pairs];
            int at = 0;
            for (int i = 0; i < m; i++) {
                for (int item : bundle.seen().items((int) probe[i])) {
                    exclude[at++] = i;
                    exclude[at++] = item;
                }
            }
            Rankings want = reference.rank(probe, exclude, k);
            Rankings got = candidate.rank(probe, exclude, k);
            for (int i = 0; i < m; i++) {
                String d = differs(got.items()[i], got.scores()[i], want.items()[i], want.scores()[i]);
                if (d != null) {
                    return "it disagrees with the ranking graph for user index " + probe[i] + ": " + d;
                }
            }
        }
        return null;
    }

    /**
     * Null when {@code candidate} scores pairs as {@code reference} does (a probe of users, each with items spread
     * over the catalogue, the last included: more pairs than one tile): probabilities within {@link #TOLERANCE},
     * logits within {@link #LOGIT_TOLERANCE}; else what differed first.
     */
    public static String scoreDisagreement(PairScorer candidate, PairScorer reference, Bundle bundle) {
        int users = bundle.card().numUsers();
        int items = bundle.card().numItems();
        int nu = Math.min(PROBE_USERS, users);
        int ni = Math.min(PROBE_ITEMS, items);
        long[] u = new long[nu * ni];
        long[] it = new long[nu * ni];
        for (int a = 0; a < nu; a++) {
            for (int b = 0; b < ni; b++) {
                u[a * ni + b] = (long) a * users / nu;
                it[a * ni + b] = ni == 1 ? 0 : (long) b * (items - 1) / (ni - 1);
            }
        }
        PairScores want = reference.score(u, it);
        PairScores got = candidate.score(u, it);
        for (int p = 0; p < u.length; p++) {
            float dl = Math.abs(got.logits()[p] - want.logits()[p]);
            if (Math.abs(got.scores()[p] - want.scores()[p]) > TOLERANCE
                    || dl > LOGIT_TOLERANCE * Math.max(1f, Math.abs(want.logits()[p]))) {
                return String.format("it scores user index %d and item index %d %.7f (logit %.6f), the scoring "
                        + "graph %.7f (%.6f)", u[p], it[p], got.scores()[p], got.logits()[p], want.scores()[p],
                        want.logits()[p]);
            }
        }
        return null;
    }

    private static String differs(long[] items, float[] scores, long[] wantItems, float[] wantScores) {
        for (int j = 0; j < wantItems.length; j++) {
            if (Math.abs(scores[j] - wantScores[j]) > TOLERANCE) {
                return String.format("rank %d has probability %.7f, the graph %.7f", j + 1, scores[j],
                        wantScores[j]);
            }
            if (items[j] != wantItems[j] && !tiedInReference(items[j], wantScores[j], wantItems, wantScores)) {
                return "rank " + (j + 1) + " is item index " + items[j] + ", the graph's " + wantItems[j];
            }
        }
        return null;
    }

    private static boolean tiedInReference(long item, float score, long[] wantItems, float[] wantScores) {
        for (int j = 0; j < wantItems.length; j++) {
            if (wantItems[j] == item) {
                return Math.abs(wantScores[j] - score) <= TOLERANCE;
            }
        }
        return true; // beyond the reference's k: a tie at its end
    }
}
