package org.ncf4j.trainer.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Latent taste for {@link SyntheticInteractions}: every item belongs to one cluster, every user prefers one to
 * {@value #MAX_PREFERRED} clusters, and most of a user's interactions come from those. Items drawn by popularity
 * alone leave a model nothing to learn but popularity, so hit rates measured on such a file say how well it ranks
 * by popularity and nothing about personalisation; with clusters, a model that finds a user's clusters beats one
 * that ranks by popularity, as on real data.
 *
 * <p>Items are dealt to clusters from a random order, so clusters differ in size by one at most and a cluster's
 * items span all popularities. Within a cluster items keep their global popularity order and are drawn by a Zipf
 * law over that order with the generator's skew, so a cluster has its own hits. Clusters are popular among users
 * by a Zipf law with the same skew over their ids (ids are unrelated to items, so cluster 0 is simply the most
 * liked): a few tastes are common, many are rare.
 *
 * <p>Nothing here allocates per draw: one shared table of Zipf weights serves every cluster (a cluster of n items
 * uses its first n entries), and a draw is one binary search over it.
 */
final class LatentClusters {
    /**
     * The share of a user's drawn interactions that come from one of the user's clusters; the rest follow global
     * popularity, as without clusters, so that every user also has some mainstream items. 0.8 keeps the clusters
     * clearly visible in a user's history while leaving popularity a signal a model must still learn.
     */
    static final double IN_CLUSTER = 0.8;
    /** Users prefer 1 to this many clusters, each number equally often. */
    static final int MAX_PREFERRED = 3;

    private final int clusters;
    private final int[] clusterOf;
    /** Cluster c's items, most popular first, are members[start[c]] to members[start[c + 1] - 1]. */
    private final int[] start;
    private final int[] members;
    /** Running sums of the Zipf weights of ranks 1, 2, ... (not normalised): a cluster of n items uses n of them. */
    private final double[] zipfSums;
    /** Running sums of the clusters' popularity among users, normalised. */
    private final double[] clusterSums;

    /** @param itemOfRank the items from most to least popular; random draws the assignment to clusters */
    LatentClusters(int[] itemOfRank, int clusters, double skew, SplittableRandom random) {
        int items = itemOfRank.length;
        if (clusters < 1 || clusters > items) {
            throw new IllegalArgumentException("need 1 <= clusters <= items");
        }
        this.clusters = clusters;
        clusterOf = new int[items];
        int[] dealt = SyntheticInteractions.permutation(items, random);
        for (int i = 0; i < items; i++) {
            clusterOf[dealt[i]] = i % clusters;
        }
        start = new int[clusters + 1];
        for (int item = 0; item < items; item++) {
            start[clusterOf[item] + 1]++;
        }
        for (int c = 0; c < clusters; c++) {
            start[c + 1] += start[c];
        }
        members = new int[items];
        int[] filled = Arrays.copyOf(start, clusters);
        for (int item : itemOfRank) {
            members[filled[clusterOf[item]]++] = item;
        }
        zipfSums = runningSums(size(0), skew); // cluster 0 is among the largest
        clusterSums = runningSums(clusters, skew);
        for (int c = 0; c < clusters; c++) {
            clusterSums[c] /= clusterSums[clusters - 1];
        }
    }

    /** The running sums of the Zipf weights {@code r^-skew} of ranks 1 to n, not normalised. */
    static double[] runningSums(int n, double skew) {
        double[] sums = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += Math.pow(r + 1, -skew);
            sums[r] = sum;
        }
        return sums;
    }

    int clusters() {
        return clusters;
    }

    int clusterOf(int item) {
        return clusterOf[item];
    }

    int size(int cluster) {
        return start[cluster + 1] - start[cluster];
    }

    /** Cluster {@code cluster}'s items, most popular first, into {@code out} from {@code at}. */
    void copyMembers(int cluster, int[] out, int at) {
        System.arraycopy(members, start[cluster], out, at, size(cluster));
    }

    /**
     * Draws a user's clusters into {@code out} (distinct, by their popularity among users) and returns how many.
     * The caller replays the same random sequence to get the same users' clusters again, so that they are never
     * stored: ten million users would need 120 MB for them.
     */
    int preferences(SplittableRandom random, int[] out) {
        int k = 1 + random.nextInt(Math.min(MAX_PREFERRED, clusters));
        for (int j = 0; j < k; j++) {
            int c;
            int attempt = 0;
            do {
                c = attempt++ < 64 ? rank(clusterSums, clusters, random.nextDouble()) : random.nextInt(clusters);
            } while (contains(out, j, c));
            out[j] = c;
        }
        return k;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    /**
     * An item of {@code cluster} that user {@code u} has not had yet (lastUser[item] != u), by popularity within
     * the cluster, or -1 when 64 draws found none (the user has had most of the cluster's popular items): the
     * caller then draws from the whole catalogue.
     */
    int draw(int cluster, SplittableRandom random, int[] lastUser, int u) {
        int n = size(cluster);
        double total = zipfSums[n - 1];
        for (int attempt = 0; attempt < 64; attempt++) {
            int item = members[start[cluster] + rank(zipfSums, n, random.nextDouble() * total)];
            if (lastUser[item] != u) {
                return item;
            }
        }
        return -1;
    }

    /** The first of sums[0..n) at or above x: the rank whose share of the running sums x falls in. */
    private static int rank(double[] sums, int n, double x) {
        int r = Arrays.binarySearch(sums, 0, n, x);
        r = r < 0 ? -r - 1 : r;
        return Math.min(r, n - 1);
    }
}
