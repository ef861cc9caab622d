package org.ncf4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Samples the negatives an evaluated user's held-out item is ranked against. */
public final class EvalNegatives {
    private EvalNegatives() {
    }

    /**
     * Draws {@code k} distinct items uniformly from those the user never interacted with (all of them when fewer
     * exist), sorted by item index, with a generator seeded by {@code seed} and the user alone: the same items
     * whenever, and on whichever thread, they are drawn.
     */
    public static int[] sample(UserItems seen, int user, int k, long seed) {
        return sample(seen, user, k, EvalSet.random(seed, user));
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
        // Floyd's algorithm: k distinct ranks out of 'unseen' with exactly k draws; the ranks drawn so far are
        // kept in a small open-addressing set as well, so that each draw is checked in constant time
        int[] ranks = new int[k];
        int[] set = new int[Integer.highestOneBit(Math.max(4, 2 * k)) << 1];
        Arrays.fill(set, -1);
        int mask = set.length - 1;
        int n = 0;
        for (int j = unseen - k; j < unseen; j++) {
            int t = random.nextInt(j + 1);
            int v = contains(set, mask, t) ? j : t;
            ranks[n++] = v;
            insert(set, mask, v);
        }
        Arrays.sort(ranks);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = seen.nthUnseen(user, ranks[i]);
        }
        return out;
    }

    private static boolean contains(int[] set, int mask, int v) {
        for (int at = (v * 0x9E3779B9) >>> 16 & mask; ; at = (at + 1) & mask) {
            if (set[at] == v) {
                return true;
            }
            if (set[at] == -1) {
                return false;
            }
        }
    }

    private static void insert(int[] set, int mask, int v) {
        int at = (v * 0x9E3779B9) >>> 16 & mask;
        while (set[at] != -1 && set[at] != v) {
            at = (at + 1) & mask;
        }
        set[at] = v;
    }
}
