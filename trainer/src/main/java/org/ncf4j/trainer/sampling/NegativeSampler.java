package org.ncf4j.trainer.sampling;

import java.util.SplittableRandom;
import org.ncf4j.data.UserItems;

/**
 * Builds each epoch's examples: every training pair as a positive plus {@code negativesPerPositive} items drawn
 * uniformly from those the user has not interacted with in training, all shuffled. Negatives are drawn without a
 * rejection loop ({@link UserItems#nthUnseen}), so a heavy user costs the same as a light one. Epoch {@code e}
 * depends only on the seed and {@code e}, so runs are reproducible whichever thread samples them.
 */
public final class NegativeSampler {
    private final UserItems train;
    private final int negativesPerPositive;
    private final long seed;
    private final int sampleable;

    /**
     * @param train the training pairs, each a positive
     * @param negativesPerPositive negatives drawn per positive, at least 0 (the training setting, which its config
     *     checks)
     * @param seed with the epoch, decides every draw and the shuffle
     */
    public NegativeSampler(UserItems train, int negativesPerPositive, long seed) {
        this.train = train;
        this.negativesPerPositive = negativesPerPositive;
        this.seed = seed;
        int n = 0;
        for (int u = 0; u < train.numUsers(); u++) {
            if (train.count(u) < train.numItems()) {
                n += train.count(u);
            }
        }
        this.sampleable = n;
    }

    /** Users who interacted with every item have no negatives; their positives still train. */
    public int examplesPerEpoch() {
        return train.size() + sampleable * negativesPerPositive;
    }

    public EpochExamples sample(int epoch) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int n = examplesPerEpoch();
        int[] users = new int[n];
        int[] items = new int[n];
        float[] signs = new float[n];
        int[] offsets = train.offsets();
        int[] flat = train.flatItems();
        int numItems = train.numItems();
        int k = 0;
        int negatives = 0;
        for (int u = 0; u < train.numUsers(); u++) {
            int s = offsets[u];
            int e = offsets[u + 1];
            int unseen = numItems - (e - s);
            for (int p = s; p < e; p++) {
                users[k] = u;
                items[k] = flat[p];
                signs[k++] = -1f;
                if (unseen == 0) {
                    continue;
                }
                for (int j = 0; j < negativesPerPositive; j++) {
                    users[k] = u;
                    items[k] = train.nthUnseen(u, random.nextInt(unseen));
                    signs[k++] = 1f;
                }
                negatives += negativesPerPositive;
            }
        }
        shuffle(users, items, signs, random);
        return new EpochExamples(epoch, users, items, signs, train.size(), negatives);
    }

    private static void shuffle(int[] users, int[] items, float[] signs, SplittableRandom random) {
        for (int i = users.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tu = users[i];
            users[i] = users[j];
            users[j] = tu;
            int ti = items[i];
            items[i] = items[j];
            items[j] = ti;
            float ts = signs[i];
            signs[i] = signs[j];
            signs[j] = ts;
        }
    }
}
