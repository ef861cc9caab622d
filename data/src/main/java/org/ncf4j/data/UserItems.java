package org.ncf4j.data;

import java.util.Arrays;

/**
 * Each user's distinct items, sorted, in compressed sparse rows: the items of user {@code u} are
 * {@code items()[offsets()[u] .. offsets()[u + 1])}. Compact enough to keep for every user of a catalogue, and
 * fast to search.
 */
public final class UserItems {
    private final int numItems;
    private final int[] offsets;
    private final int[] items;

    private UserItems(int numItems, int[] offsets, int[] items) {
        this.numItems = numItems;
        this.offsets = offsets;
        this.items = items;
    }

    /**
     * Builds the rows from the first {@code n} (user, item) pairs; repeated pairs are kept once.
     */
    public static UserItems of(int numUsers, int numItems, int[] users, int[] items, int n) {
        int[] counts = new int[numUsers + 1];
        for (int i = 0; i < n; i++) {
            counts[users[i] + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            counts[u + 1] += counts[u];
        }
        int[] fill = Arrays.copyOf(counts, numUsers);
        int[] flat = new int[n];
        for (int i = 0; i < n; i++) {
            int it = items[i];
            if (it < 0 || it >= numItems) {
                throw new IllegalArgumentException("item " + it + " outside 0.." + (numItems - 1));
            }
            flat[fill[users[i]]++] = it;
        }
        int[] offsets = new int[numUsers + 1];
        int out = 0;
        for (int u = 0; u < numUsers; u++) {
            int s = counts[u];
            int e = counts[u + 1];
            Arrays.sort(flat, s, e);
            offsets[u] = out;
            for (int k = s; k < e; k++) {
                if (k == s || flat[k] != flat[k - 1]) {
                    flat[out++] = flat[k];
                }
            }
        }
        offsets[numUsers] = out;
        return new UserItems(numItems, offsets, Arrays.copyOf(flat, out));
    }

    /**
     * Rows given directly in CSR form, as stored in a model bundle.
     *
     * @throws IllegalArgumentException when offsets do not rise from 0 to {@code items.length}, or a row is not
     *     sorted, repeats an item or holds one outside {@code 0..numItems-1}
     */
    /** Rows built by this package that are already sorted sets of items (not checked, not copied). */
    static UserItems ofSortedRows(int numItems, int[] offsets, int[] items) {
        return new UserItems(numItems, offsets, items);
    }

    public static UserItems fromCsr(int numItems, int[] offsets, int[] items) {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != items.length) {
            throw new IllegalArgumentException("row offsets must start at 0 and end at the number of items ("
                    + items.length + ")");
        }
        for (int u = 0; u + 1 < offsets.length; u++) {
            if (offsets[u + 1] < offsets[u] || offsets[u + 1] > items.length) {
                throw new IllegalArgumentException("row offsets decrease or exceed the number of items at user " + u);
            }
            for (int k = offsets[u]; k < offsets[u + 1]; k++) {
                if (items[k] < 0 || items[k] >= numItems || (k > offsets[u] && items[k] <= items[k - 1])) {
                    throw new IllegalArgumentException("row of user " + u + " is not a sorted set of items in 0.."
                            + (numItems - 1));
                }
            }
        }
        return new UserItems(numItems, offsets.clone(), items.clone());
    }

    public int numUsers() {
        return offsets.length - 1;
    }

    public int numItems() {
        return numItems;
    }

    /** Number of distinct (user, item) pairs. */
    public int size() {
        return items.length;
    }

    public int count(int user) {
        return offsets[user + 1] - offsets[user];
    }

    public boolean contains(int user, int item) {
        return Arrays.binarySearch(items, offsets[user], offsets[user + 1], item) >= 0;
    }

    /** A copy of the user's items, sorted. */
    public int[] items(int user) {
        return Arrays.copyOfRange(items, offsets[user], offsets[user + 1]);
    }

    /** The row offsets (length numUsers + 1); shared, not copied: do not modify. */
    public int[] offsets() {
        return offsets;
    }

    /** The concatenated sorted rows; shared, not copied: do not modify. */
    public int[] flatItems() {
        return items;
    }

    /**
     * The {@code r}-th (0-based) item the user has not interacted with, in item order, for
     * {@code 0 <= r < numItems - count(user)}. Sampling {@code r} uniformly gives a uniform unseen item with no
     * rejection loop, whatever the user's share of the catalogue.
     */
    public int nthUnseen(int user, int r) {
        int s = offsets[user];
        int lo = 0;
        int hi = offsets[user + 1] - s;
        // items[s + k] - k (the number of unseen items below the k-th seen one) never decreases with k:
        // count the seen items whose number of unseen items below them is <= r.
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (items[s + mid] - mid <= r) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return r + lo;
    }
}
