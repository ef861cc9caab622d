package org.ncf4j.data;

import java.util.Arrays;

/**
 * Splits interactions the NCF way: each user's latest interaction (by timestamp, ties broken by file order) is
 * held out for test and, optionally, the one before it for validation; everything else trains. A user who
 * interacted with an item more than once counts it once, at its latest time. Users with a single item stay in
 * training only. Every held-out item gets {@code negatives} distinct items the user never interacted with,
 * drawn when evaluated from the seed and the user ({@link EvalSet#drawn}), never held for all users at once.
 */
public final class LeaveOneOut {
    /** Mixed into the seed for the validation items' negatives, so that they are not the test items'. */
    private static final long VALIDATION_SEED = 0x5DEECE66DL;
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
        // group items and timestamps by user, keeping file order (counting sort), so that the walk below reads
        // each user's interactions from consecutive memory
        int[] start = new int[numUsers + 1];
        for (int i = 0; i < n; i++) {
            start[data.user(i) + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            start[u + 1] += start[u];
        }
        int[] fill = Arrays.copyOf(start, numUsers);
        int[] itemOf = new int[n];
        long[] timeOf = new long[n];
        for (int i = 0; i < n; i++) {
            int at = fill[data.user(i)]++;
            itemOf[at] = data.item(i);
            timeOf[at] = data.timestamp(i);
        }
        fill = null;

        // per user: the distinct items newest first (chrono), held out from the front, the rest trains; both the
        // training rows and the rows of everything the user had are written as sorted CSR rows at once
        int[] trainOffsets = new int[numUsers + 1];
        int[] trainFlat = new int[n];
        int nTrain = 0;
        int[] allOffsets = new int[numUsers + 1];
        int[] allFlat = new int[n];
        int nAll = 0;
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
            sortByTime(itemOf, timeOf, s, e);
            if (chrono.length < e - s) {
                chrono = new int[e - s];
            }
            int m = 0;
            for (int k = e - 1; k >= s; k--) {
                int item = itemOf[k];
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
            System.arraycopy(chrono, held, trainFlat, nTrain, m - held);
            Arrays.sort(trainFlat, nTrain, nTrain + m - held);
            nTrain += m - held;
            trainOffsets[u + 1] = nTrain;
            // everything the user had: the sorted training row with the held-out items merged in
            int from = trainOffsets[u];
            int[] heldOut = Arrays.copyOf(chrono, held);
            Arrays.sort(heldOut);
            int h = 0;
            for (int k = from; k < nTrain; k++) {
                while (h < held && heldOut[h] < trainFlat[k]) {
                    allFlat[nAll++] = heldOut[h++];
                }
                allFlat[nAll++] = trainFlat[k];
            }
            while (h < held) {
                allFlat[nAll++] = heldOut[h++];
            }
            allOffsets[u + 1] = nAll;
        }
        itemOf = null;
        timeOf = null;
        UserItems train = UserItems.ofSortedRows(numItems, trainOffsets, Arrays.copyOf(trainFlat, nTrain));
        UserItems all = UserItems.ofSortedRows(numItems, allOffsets, Arrays.copyOf(allFlat, nAll));
        EvalSet test = EvalSet.drawn(Arrays.copyOf(testUsers, nTest), Arrays.copyOf(testItems, nTest), all,
                negatives, seed);
        EvalSet val = validation ? EvalSet.drawn(Arrays.copyOf(valUsers, nVal), Arrays.copyOf(valItems, nVal), all,
                negatives, VALIDATION_SEED ^ seed) : null;
        return new Split(name, data.users(), data.items(), train, test, val, trainOnly);
    }

    /** Stable sort of one user's items [s, e) by timestamp; file order (their order here) breaks ties. */
    private static void sortByTime(int[] itemOf, long[] timeOf, int s, int e) {
        boolean sorted = true;
        for (int k = s + 1; k < e && sorted; k++) {
            sorted = timeOf[k - 1] <= timeOf[k];
        }
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[e - s];
        for (int k = 0; k < order.length; k++) {
            order[k] = s + k;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(timeOf[a], timeOf[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] items = new int[order.length];
        long[] times = new long[order.length];
        for (int k = 0; k < order.length; k++) {
            items[k] = itemOf[order[k]];
            times[k] = timeOf[order[k]];
        }
        System.arraycopy(items, 0, itemOf, s, items.length);
        System.arraycopy(times, 0, timeOf, s, times.length);
    }
}
