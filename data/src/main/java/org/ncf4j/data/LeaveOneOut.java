package org.ncf4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Splits interactions the NCF way: each user's latest interaction (by timestamp, ties broken by file order) is
 * held out for test and, optionally, the one before it for validation; everything else trains. A user who
 * interacted with an item more than once counts it once, at its latest time. Users with a single item stay in
 * training only. Every held-out item gets {@code negatives} distinct items the user never interacted with,
 * sampled with the given seed.
 */
public final class LeaveOneOut {
    private final boolean validation;
    private final int negatives;
    private final long seed;

    public LeaveOneOut(boolean validation, int negatives, long seed) {
        if (negatives < 1) {
            throw new IllegalArgumentException("evaluation negatives per held-out item must be >= 1, got " + negatives);
        }
        this.validation = validation;
        this.negatives = negatives;
        this.seed = seed;
    }

    public Split split(String name, Interactions data) {
        int numUsers = data.users().size();
        int numItems = data.items().size();
        int n = data.size();
        // group interaction indices by user, keeping file order (counting sort)
        int[] start = new int[numUsers + 1];
        for (int i = 0; i < n; i++) {
            start[data.user(i) + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            start[u + 1] += start[u];
        }
        int[] fill = Arrays.copyOf(start, numUsers);
        int[] byUser = new int[n];
        for (int i = 0; i < n; i++) {
            byUser[fill[data.user(i)]++] = i;
        }

        int[] trainU = new int[n];
        int[] trainI = new int[n];
        int nTrain = 0;
        int[] testUsers = new int[numUsers];
        int[] testItems = new int[numUsers];
        int nTest = 0;
        int[] valUsers = new int[numUsers];
        int[] valItems = new int[numUsers];
        int nVal = 0;
        int trainOnly = 0;
        int[] lastSeenBy = new int[numItems];
        Arrays.fill(lastSeenBy, -1);
        int[] chrono = new int[0];
        for (int u = 0; u < numUsers; u++) {
            int s = start[u];
            int e = start[u + 1];
            sortByTime(data, byUser, s, e);
            // walk newest first, keeping each item once (at its latest time)
            if (chrono.length < e - s) {
                chrono = new int[e - s];
            }
            int m = 0;
            for (int k = e - 1; k >= s; k--) {
                int item = data.item(byUser[k]);
                if (lastSeenBy[item] != u) {
                    lastSeenBy[item] = u;
                    chrono[m++] = item; // chrono[0] is the newest
                }
            }
            int held = 0;
            if (m >= 2) {
                testUsers[nTest] = u;
                testItems[nTest++] = chrono[0];
                held = 1;
                if (validation && m >= 3) {
                    valUsers[nVal] = u;
                    valItems[nVal++] = chrono[1];
                    held = 2;
                }
            } else {
                trainOnly++;
            }
            for (int k = m - 1; k >= held; k--) {
                trainU[nTrain] = u;
                trainI[nTrain++] = chrono[k];
            }
        }
        UserItems train = UserItems.of(numUsers, numItems, trainU, trainI, nTrain);
        int[] allU = new int[n];
        int[] allI = new int[n];
        for (int i = 0; i < n; i++) {
            allU[i] = data.user(i);
            allI[i] = data.item(i);
        }
        UserItems all = UserItems.of(numUsers, numItems, allU, allI, n);
        SplittableRandom random = new SplittableRandom(seed);
        EvalSet test = evalSet(all, Arrays.copyOf(testUsers, nTest), Arrays.copyOf(testItems, nTest), random);
        EvalSet val = validation
                ? evalSet(all, Arrays.copyOf(valUsers, nVal), Arrays.copyOf(valItems, nVal), random) : null;
        return new Split(name, data.users(), data.items(), train, test, val, trainOnly);
    }

    private EvalSet evalSet(UserItems all, int[] users, int[] items, SplittableRandom random) {
        int[][] neg = new int[users.length][];
        for (int i = 0; i < users.length; i++) {
            neg[i] = EvalNegatives.sample(all, users[i], negatives, random);
        }
        return new EvalSet(users, items, neg);
    }

    /** Stable sort of byUser[s..e) by timestamp; file order is already the tie-break. */
    private static void sortByTime(Interactions data, int[] byUser, int s, int e) {
        boolean sorted = true;
        for (int k = s + 1; k < e && sorted; k++) {
            sorted = data.timestamp(byUser[k - 1]) <= data.timestamp(byUser[k]);
        }
        if (sorted) {
            return;
        }
        Integer[] boxed = new Integer[e - s];
        for (int k = s; k < e; k++) {
            boxed[k - s] = byUser[k];
        }
        Arrays.sort(boxed, (a, b) -> {
            int c = Long.compare(data.timestamp(a), data.timestamp(b));
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int k = s; k < e; k++) {
            byUser[k] = boxed[k - s];
        }
    }
}
