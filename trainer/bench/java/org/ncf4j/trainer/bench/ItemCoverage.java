package org.ncf4j.trainer.bench;

import java.util.SplittableRandom;

/**
 * Gives every item of the catalogue one occurrence, to a user who likes its cluster, before anything else is drawn.
 * Drawn by popularity, a file of 2,000,000 interactions over 1,000,000 items leaves many items out, and a catalogue
 * with items nobody had is not the catalogue the run claims to measure.
 *
 * <p>How: of the INTERACTIONS slots the users' counts add up to, exactly ITEMS are set aside up front, one for each
 * item; the other INTERACTIONS - ITEMS are drawn as usual. Nothing is replaced or added afterwards, so the total is
 * exact and a user's timestamps stay in order. Each user's count is split evenly over the user's clusters, and a
 * cluster's items go to its fans in proportion to those shares (running sums rounded down, so the shares add up
 * exactly and no user gets more than its count). A cluster with more items than its fans have interactions (a rare
 * taste) gives what does not fit to the fans of clusters with room, in proportion to their room; the room left adds
 * up to INTERACTIONS minus what the clusters kept, no less than what overflowed since INTERACTIONS >= ITEMS, so
 * everything fits. Which of its items a cluster keeps, and who gets what, is random.
 *
 * <p>The plan holds one int per item and a few numbers per cluster; users' clusters are replayed from their seed,
 * in the same order as when the file is written, rather than stored.
 */
final class ItemCoverage {
    /** Interactions of the cluster's fans (their counts' shares for this cluster). */
    private final long[] room;
    /** Items handed to the cluster's fans: its own, then others' that did not fit theirs. */
    private final long[] handed;
    /** The items handed to cluster c's fans are order[start[c]] to order[start[c + 1] - 1], in a random order. */
    private final int[] start;
    private final int[] order;
    /** Room of the fans met so far, and items of order given out so far, per cluster. */
    private final long[] roomSeen;
    private final int[] given;

    /**
     * Plans the coverage: {@code preferenceSeed} replays the users' clusters in user order, {@code random} chooses
     * which items overflow and their order.
     */
    ItemCoverage(LatentClusters clusters, int[] counts, long preferenceSeed, SplittableRandom random) {
        int c = clusters.clusters();
        room = new long[c];
        SplittableRandom replay = new SplittableRandom(preferenceSeed);
        int[] preferred = new int[LatentClusters.MAX_PREFERRED];
        for (int count : counts) {
            int k = clusters.preferences(replay, preferred);
            for (int j = 0; j < k; j++) {
                room[preferred[j]] += share(count, k, j);
            }
        }
        // each cluster keeps what fits its fans; the rest overflows to the clusters with room to spare
        int items = 0;
        long kept = 0;
        long[] own = new long[c];
        for (int i = 0; i < c; i++) {
            own[i] = Math.min(clusters.size(i), room[i]);
            items += clusters.size(i);
            kept += own[i];
        }
        long overflow = items - kept;
        long spare = 0;
        for (int i = 0; i < c; i++) {
            spare += room[i] - own[i];
        }
        handed = new long[c];
        start = new int[c + 1];
        long spareBefore = 0;
        for (int i = 0; i < c; i++) {
            long extra = spare == 0 ? 0 : Math.multiplyExact(overflow, spareBefore + room[i] - own[i]) / spare
                    - Math.multiplyExact(overflow, spareBefore) / spare;
            spareBefore += room[i] - own[i];
            handed[i] = own[i] + extra;
            start[i + 1] = start[i] + (int) handed[i];
        }
        order = new int[items];
        int[] rest = new int[(int) overflow];
        int[] cluster = new int[clusters.size(0)];
        int overflowed = 0;
        for (int i = 0; i < c; i++) {
            int n = clusters.size(i);
            clusters.copyMembers(i, cluster, 0);
            shuffle(cluster, n, random);
            System.arraycopy(cluster, 0, order, start[i], (int) own[i]);
            System.arraycopy(cluster, (int) own[i], rest, overflowed, n - (int) own[i]);
            overflowed += n - (int) own[i];
        }
        shuffle(rest, rest.length, random);
        overflowed = 0;
        for (int i = 0; i < c; i++) {
            int extra = (int) (handed[i] - own[i]);
            System.arraycopy(rest, overflowed, order, start[i] + (int) own[i], extra);
            overflowed += extra;
        }
        roomSeen = new long[c];
        given = new int[c];
    }

    /** The part of a user's {@code count} interactions that goes to the j-th of its k clusters. */
    private static int share(int count, int k, int j) {
        return count / k + (j < count % k ? 1 : 0);
    }

    private static void shuffle(int[] a, int n, SplittableRandom random) {
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * The items set aside for the next user (called once per user, in user order, with the clusters the replay
     * gives), into {@code out}; returns how many, at most {@code count}.
     */
    int next(int[] preferred, int k, int count, int[] out) {
        int n = 0;
        for (int j = 0; j < k; j++) {
            int c = preferred[j];
            long before = roomSeen[c];
            roomSeen[c] += share(count, k, j);
            if (roomSeen[c] == before) {
                continue;
            }
            // handed[c] <= room[c], so a fan gets no more than its share
            int q = (int) (Math.multiplyExact(handed[c], roomSeen[c]) / room[c]
                    - Math.multiplyExact(handed[c], before) / room[c]);
            System.arraycopy(order, start[c] + given[c], out, n, q);
            given[c] += q;
            n += q;
        }
        return n;
    }

    /** Whether every item has been given out: true once every user has had {@link #next}. */
    boolean complete() {
        for (int c = 0; c < given.length; c++) {
            if (given[c] != handed[c]) {
                return false;
            }
        }
        return true;
    }
}
