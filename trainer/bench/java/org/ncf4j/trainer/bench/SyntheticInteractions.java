package org.ncf4j.trainer.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a seeded synthetic interactions file ({@code user,item,ts} with a header, what {@code ncf-train
 * --interactions} reads) of any size, to measure training cost against size. Item popularity follows a Zipf law
 * with exponent {@code skew} (0: uniform); users' activity is skewed too (a Pareto tail over a floor of
 * {@code min(20, interactions / users)} each, as MovieLens keeps users with 20 ratings or more). A user's items are
 * distinct, and each user's timestamps increase, so the latest is the held-out one.
 *
 * <p>By default items are drawn by popularity alone, so the file has nothing to learn beyond popularity and many
 * items of a large catalogue never occur; these default files are kept byte for byte as they were, since benchmarks
 * and published figures were made from them. With {@code CLUSTERS > 0} the file has latent structure instead: each
 * item belongs to one of the clusters, each user likes one to three of them, and {@link LatentClusters#IN_CLUSTER}
 * of a user's draws come from the user's clusters (by popularity within the cluster), the rest by global popularity
 * as by default. Every item then occurs at least once ({@link ItemCoverage}: one interaction per item is set aside
 * for a fan of its cluster up front, so the total stays exactly INTERACTIONS), which needs INTERACTIONS >= ITEMS.
 * A clustered file is not the default file with something added: its random draws differ from the start.
 *
 * <p>Usage: {@code SyntheticInteractions USERS ITEMS INTERACTIONS OUT.csv [SKEW=0.8] [SEED=1] [CLUSTERS=0]}
 */
public final class SyntheticInteractions {
    private static final String USAGE =
            "usage: SyntheticInteractions USERS ITEMS INTERACTIONS OUT.csv [SKEW=0.8] [SEED=1] [CLUSTERS=0]";

    private SyntheticInteractions() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println(USAGE);
            System.exit(2);
        }
        int users = Integer.parseInt(args[0]);
        int items = Integer.parseInt(args[1]);
        long interactions = Long.parseLong(args[2]);
        Path out = Path.of(args[3]);
        double skew = args.length > 4 ? Double.parseDouble(args[4]) : 0.8;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
        int clusters = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        String problem = problem(users, items, interactions, clusters);
        if (problem != null) {
            System.err.println("SyntheticInteractions: " + problem);
            System.exit(2);
        }
        long t0 = System.nanoTime();
        long written = write(users, items, interactions, skew, seed, clusters, out);
        System.err.printf("wrote %,d interactions of %,d users and %,d items (Zipf skew %.2f, seed %d%s) to %s in "
                + "%.1f s%n", written, users, items, skew, seed, clusters > 0 ? ", " + clusters + " clusters" : "",
                out, (System.nanoTime() - t0) / 1e9);
    }

    /** Why these sizes cannot be written, in one line, or null when they can. */
    static String problem(int users, int items, long interactions, int clusters) {
        if (users < 1 || items < 2 || interactions < 2L * users) {
            return "need users >= 1, items >= 2 and at least two interactions per user";
        }
        // userCounts gives each user at most max(2, items / 2), so that a user's draws find distinct items quickly;
        // asked for more in all, it would look for a user with room forever
        if (interactions > (long) users * Math.max(2, items / 2)) {
            return "a user has at most max(2, ITEMS / 2) interactions, so INTERACTIONS can be at most "
                    + (long) users * Math.max(2, items / 2) + " for " + users + " users and " + items + " items";
        }
        if (clusters < 0 || clusters > items) {
            return "need 0 <= CLUSTERS <= ITEMS, got " + clusters + " clusters for " + items + " items";
        }
        if (clusters > 0 && interactions < items) {
            return "with CLUSTERS every item occurs at least once, so INTERACTIONS must be at least ITEMS; got "
                    + interactions + " interactions for " + items + " items";
        }
        return null;
    }

    /** The random draws made before the first line, in their order; clusters is null without them. */
    private record Setup(SplittableRandom random, int[] counts, double[] cumulative, int[] itemOfRank,
                         LatentClusters clusters) {
        static Setup of(int users, int items, long interactions, double skew, long seed, int clusters) {
            String problem = problem(users, items, interactions, clusters);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            SplittableRandom random = new SplittableRandom(seed);
            int[] counts = userCounts(users, items, interactions, random);
            double[] cumulative = zipf(items, skew);
            // items are ranked by popularity in a random order of ids, so that id and popularity are unrelated
            int[] itemOfRank = permutation(items, random);
            return new Setup(random, counts, cumulative, itemOfRank,
                    clusters > 0 ? new LatentClusters(itemOfRank, clusters, skew, random) : null);
        }
    }

    /** The cluster of each item in the file these arguments write with {@code clusters > 0}, for checks. */
    static int[] clusterOf(int users, int items, long interactions, double skew, long seed, int clusters) {
        LatentClusters latent = Setup.of(users, items, interactions, skew, seed, clusters).clusters();
        int[] clusterOf = new int[items];
        for (int item = 0; item < items; item++) {
            clusterOf[item] = latent.clusterOf(item);
        }
        return clusterOf;
    }

    static long write(int users, int items, long interactions, double skew, long seed, int clusters, Path out)
            throws IOException {
        Setup setup = Setup.of(users, items, interactions, skew, seed, clusters);
        int[] counts = setup.counts();
        int[] lastUser = new int[items];
        Arrays.fill(lastUser, -1);
        History history = setup.clusters() == null ? byPopularity(setup, lastUser)
                : new ClusteredHistory(setup.clusters(), counts, setup.random(), lastUser,
                        u -> draw(setup.cumulative(), setup.itemOfRank(), setup.random(), lastUser, u, items));
        int[] itemsOfUser = new int[Arrays.stream(counts).max().orElse(0)];
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        long written = 0;
        long progressStep = Math.max(1, interactions / 10);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            os.write("user,item,ts\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] line = new byte[64];
            long ts = 978_300_000L;
            for (int u = 0; u < users; u++) {
                history.draw(u, counts[u], itemsOfUser);
                for (int k = 0; k < counts[u]; k++) {
                    int n = 0;
                    n = digits(u, line, n);
                    line[n++] = ',';
                    n = digits(itemsOfUser[k], line, n);
                    line[n++] = ',';
                    n = digits(ts + k, line, n);
                    line[n++] = '\n';
                    os.write(line, 0, n);
                    if (++written % progressStep == 0) {
                        System.err.printf("  %,d / %,d%n", written, interactions);
                    }
                }
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return written;
    }

    /** A user's items, distinct, in time order. */
    interface History {
        void draw(int u, int count, int[] out);
    }

    /** By popularity alone, the default: the draws, and their order, of the files published figures come from. */
    private static History byPopularity(Setup setup, int[] lastUser) {
        int items = lastUser.length;
        return (u, count, out) -> {
            for (int k = 0; k < count; k++) {
                int item = draw(setup.cumulative(), setup.itemOfRank(), setup.random(), lastUser, u, items);
                lastUser[item] = u;
                out[k] = item;
            }
        };
    }

    /** Interactions per user: a floor each, the rest spread by Pareto weights, at most half the catalogue each. */
    private static int[] userCounts(int users, int items, long interactions, SplittableRandom random) {
        int cap = Math.max(2, items / 2);
        int floor = (int) Math.min(20, interactions / users);
        int[] counts = new int[users];
        Arrays.fill(counts, floor);
        long rest = interactions - (long) floor * users;
        double[] weight = new double[users];
        double sum = 0;
        for (int u = 0; u < users; u++) {
            weight[u] = Math.pow(1 - random.nextDouble(), -1 / 1.5); // Pareto, shape 1.5
            sum += weight[u];
        }
        long placed = 0;
        for (int u = 0; u < users; u++) {
            int extra = (int) Math.min(cap - floor, Math.floor(rest * weight[u] / sum));
            counts[u] += extra;
            placed += extra;
        }
        // what rounding and the cap left over goes one by one to random users with room
        while (placed < rest) {
            int u = random.nextInt(users);
            if (counts[u] < cap) {
                counts[u]++;
                placed++;
            }
        }
        return counts;
    }

    private static double[] zipf(int items, double skew) {
        double[] c = LatentClusters.runningSums(items, skew);
        double sum = c[items - 1];
        for (int r = 0; r < items; r++) {
            c[r] /= sum;
        }
        return c;
    }

    /** An item the user has not had yet: by popularity, or uniformly among the rest after many repeats. */
    static int draw(double[] cumulative, int[] itemOfRank, SplittableRandom random, int[] lastUser, int u,
                            int items) {
        for (int attempt = 0; attempt < 64; attempt++) {
            int rank = Arrays.binarySearch(cumulative, random.nextDouble());
            rank = rank < 0 ? -rank - 1 : rank;
            int item = itemOfRank[Math.min(rank, items - 1)];
            if (lastUser[item] != u) {
                return item;
            }
        }
        while (true) {
            int item = random.nextInt(items);
            if (lastUser[item] != u) {
                return item;
            }
        }
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int digits(long v, byte[] out, int at) {
        if (v == 0) {
            out[at] = '0';
            return at + 1;
        }
        int start = at;
        while (v > 0) {
            out[at++] = (byte) ('0' + v % 10);
            v /= 10;
        }
        for (int i = start, j = at - 1; i < j; i++, j--) {
            byte t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return at;
    }
}
