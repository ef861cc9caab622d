package org.ncf4j.server.inference;

import ai.onnxruntime.OrtException;
import org.ncf4j.bundle.Bundle;

/**
 * Whether two rankers give the same answers on a probe of a bundle's users (spread over the id range, their seen
 * items excluded, k up to 50): at every rank the same probability within {@link #TOLERANCE}, and the same item
 * unless the reference holds a near tie there (then the item must be among the reference's equally scored ones).
 */
final class RankerCheck {
    /** Probabilities may differ by float rounding in another order of operations; nothing more. */
    static final float TOLERANCE = 1e-5f;
    private static final int PROBE_USERS = 16;

    private RankerCheck() {
    }

    /** Null when {@code candidate} agrees with {@code reference}, else what differed first. */
    static String disagreement(Ranker candidate, Ranker reference, Bundle bundle) throws OrtException {
        int users = bundle.card().numUsers();
        int n = Math.min(PROBE_USERS, users);
        long[] probe = new long[n];
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            probe[i] = (long) i * users / n;
            pairs += bundle.seen().items((int) probe[i]).length;
        }
        long[] exclude = new long[2 * pairs];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int item : bundle.seen().items((int) probe[i])) {
                exclude[at++] = i;
                exclude[at++] = item;
            }
        }
        int k = Math.min(50, bundle.card().numItems());
        OnnxModel.Ranked want = reference.rank(probe, exclude, k);
        OnnxModel.Ranked got = candidate.rank(probe, exclude, k);
        for (int i = 0; i < n; i++) {
            String d = differs(got.items()[i], got.scores()[i], want.items()[i], want.scores()[i]);
            if (d != null) {
                return "it disagrees with the ranking graph for user index " + probe[i] + ": " + d;
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
