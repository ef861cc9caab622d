package org.ncf4j.trainer.train;

import java.util.SplittableRandom;
import org.ncf4j.data.Interactions;
import org.ncf4j.data.LeaveOneOut;
import org.ncf4j.data.Split;

/** Small splits with learnable structure, for the tests of a run's parts. */
final class GroupedData {
    private GroupedData() {
    }

    /**
     * Users and items in four groups; a user takes items of their own group half the time, at increasing times.
     */
    static Interactions interactions(int users, int items, int perUser, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Interactions.Builder b = new Interactions.Builder();
        for (int u = 0; u < users; u++) {
            for (int k = 0; k < perUser; k++) {
                int item = r.nextInt(10) < 5 ? u % 4 + 4 * r.nextInt(items / 4) : r.nextInt(items);
                b.add("U" + u, "I" + item, 1000L * u + k);
            }
        }
        return b.build("synthetic");
    }

    /** 40 users and 24 items, 8 interactions each, with a validation item per user when asked to. */
    static Split small(boolean validation) {
        return new LeaveOneOut(validation, 20, 1).split("synthetic", interactions(40, 24, 8, 5));
    }
}
