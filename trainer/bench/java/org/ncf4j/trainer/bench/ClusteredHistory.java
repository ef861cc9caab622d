package org.ncf4j.trainer.bench;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Users' items with latent clusters ({@link LatentClusters}), every item occurring ({@link ItemCoverage}). A user's
 * interactions are, in time order, the items set aside for the user's coverage share at random places among them,
 * and draws: from one of the user's clusters (each equally likely) with probability
 * {@link LatentClusters#IN_CLUSTER}, else by global popularity. A cluster the user has mostly exhausted falls back
 * to global popularity too, so that a heavy user of a small cluster still gets distinct items.
 *
 * <p>Users must be asked for in order, each once: their clusters are replayed from a seed, not stored.
 */
final class ClusteredHistory implements SyntheticInteractions.History {
    private final LatentClusters latent;
    private final ItemCoverage coverage;
    private final SplittableRandom random;
    private final SplittableRandom preferences;
    private final int[] lastUser;
    private final IntUnaryOperator byPopularity;
    private final int users;
    private final int[] preferred = new int[LatentClusters.MAX_PREFERRED];
    private final int[] setAside;

    /**
     * @param lastUser     the last user who had each item, shared with {@code byPopularity}
     * @param byPopularity an item user u has not had, by global popularity, drawn with {@code random}
     */
    ClusteredHistory(LatentClusters latent, int[] counts, SplittableRandom random, int[] lastUser,
                     IntUnaryOperator byPopularity) {
        this.latent = latent;
        this.random = random;
        this.lastUser = lastUser;
        this.byPopularity = byPopularity;
        users = counts.length;
        long preferenceSeed = random.nextLong();
        coverage = new ItemCoverage(latent, counts, preferenceSeed, random);
        preferences = new SplittableRandom(preferenceSeed);
        int most = 0;
        for (int count : counts) {
            most = Math.max(most, count);
        }
        setAside = new int[most];
    }

    @Override
    public void draw(int u, int count, int[] out) {
        int k = latent.preferences(preferences, preferred);
        int left = coverage.next(preferred, k, count, setAside);
        for (int i = 0; i < left; i++) {
            lastUser[setAside[i]] = u; // no draw of this user repeats them
        }
        for (int slot = 0; slot < count; slot++) {
            int item;
            if (left > 0 && random.nextInt(count - slot) < left) {
                int j = random.nextInt(left);
                item = setAside[j];
                setAside[j] = setAside[--left];
            } else {
                item = random.nextDouble() < LatentClusters.IN_CLUSTER
                        ? latent.draw(preferred[random.nextInt(k)], random, lastUser, u) : -1;
                if (item < 0) {
                    item = byPopularity.applyAsInt(u);
                }
            }
            lastUser[item] = u;
            out[slot] = item;
        }
        if (u == users - 1 && !coverage.complete()) {
            throw new IllegalStateException("items set aside for coverage were left over after the last user");
        }
    }
}
