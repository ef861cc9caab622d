package org.ncf4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Samples the negatives an evaluated user's held-out item is ranked against. */
public final class EvalNegatives {
    private EvalNegatives() {
    }

    /**
     * Draws {@code k} distinct items uniformly from those the user never interacted with (all of them when
     * fewer exist), sorted by item index.
     */
    public static int[] sample(UserItems seen, int user, int k, SplittableRandom random) {
        int unseen = seen.numItems() - seen.count(user);
        if (unseen <= k) {
            int[] all = new int[unseen];
            for (int r = 0; r < unseen; r++) {
                all[r] = seen.nthUnseen(user, r);
            }
            return all;
        }
        // Floyd's algorithm: k distinct ranks out of 'unseen' with exactly k draws.
        int[] ranks = new int[k];
        int n = 0;
        for (int j = unseen - k; j < unseen; j++) {
            int t = random.nextInt(j + 1);
            ranks[n++] = contains(ranks, n - 1, t) ? j : t;
        }
        Arrays.sort(ranks);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = seen.nthUnseen(user, ranks[i]);
        }
        return out;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}
