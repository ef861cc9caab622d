package org.ncf4j.trainer.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ncf4j.data.UserItems;

class NegativeSamplerTest {

    private static UserItems randomTrain(int users, int items, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = users * 6;
        int[] u = new int[n];
        int[] it = new int[n];
        for (int i = 0; i < n; i++) {
            u[i] = r.nextInt(users);
            it[i] = r.nextInt(items);
        }
        return UserItems.of(users, items, u, it, n);
    }

    @Test
    void negativesAreNeverTrainingPositivesOfTheirUser() {
        UserItems train = randomTrain(30, 20, 7);
        EpochExamples ex = new NegativeSampler(train, 4, 1).sample(0);
        int negatives = 0;
        for (int i = 0; i < ex.size(); i++) {
            boolean positive = train.contains(ex.users()[i], ex.items()[i]);
            if (ex.signs()[i] > 0) {
                negatives++;
                assertFalse(positive, "negative (" + ex.users()[i] + ", " + ex.items()[i] + ") is a positive");
            } else {
                assertTrue(positive);
            }
        }
        assertEquals(4 * train.size(), negatives);
        assertEquals(5 * train.size(), ex.size());
        assertEquals(train.size(), ex.positives());
    }

    @Test
    void everyPositiveAppearsExactlyOnce() {
        UserItems train = randomTrain(10, 12, 3);
        EpochExamples ex = new NegativeSampler(train, 2, 5).sample(3);
        long[] seen = new long[train.size()];
        int k = 0;
        for (int i = 0; i < ex.size(); i++) {
            if (ex.signs()[i] < 0) {
                seen[k++] = (long) ex.users()[i] * 1000 + ex.items()[i];
            }
        }
        Arrays.sort(seen);
        for (int i = 1; i < seen.length; i++) {
            assertTrue(seen[i] != seen[i - 1], "a positive appears twice");
        }
        assertEquals(train.size(), k);
    }

    @Test
    void sameSeedAndEpochGiveTheSameExamples() {
        UserItems train = randomTrain(25, 40, 11);
        EpochExamples a = new NegativeSampler(train, 4, 42).sample(2);
        EpochExamples b = new NegativeSampler(train, 4, 42).sample(2);
        assertArrayEquals(a.users(), b.users());
        assertArrayEquals(a.items(), b.items());
        assertArrayEquals(a.signs(), b.signs());
    }

    @Test
    void otherEpochsAndSeedsGiveOtherExamples() {
        UserItems train = randomTrain(25, 40, 11);
        EpochExamples a = new NegativeSampler(train, 4, 42).sample(2);
        assertFalse(Arrays.equals(a.items(), new NegativeSampler(train, 4, 42).sample(3).items()));
        assertFalse(Arrays.equals(a.items(), new NegativeSampler(train, 4, 43).sample(2).items()));
    }

    @Test
    void negativesCoverEveryUnseenItemRoughlyUniformly() {
        // one user who has seen items 0..4 of 10: the 5 others should each get about a fifth of the negatives
        int[] users = new int[5];
        int[] items = {0, 1, 2, 3, 4};
        UserItems train = UserItems.of(1, 10, users, items, 5);
        int[] counts = new int[10];
        NegativeSampler sampler = new NegativeSampler(train, 1000, 9);
        EpochExamples ex = sampler.sample(0);
        for (int i = 0; i < ex.size(); i++) {
            if (ex.signs()[i] > 0) {
                counts[ex.items()[i]]++;
            }
        }
        for (int j = 0; j < 5; j++) {
            assertEquals(0, counts[j]);
        }
        for (int j = 5; j < 10; j++) {
            assertTrue(Math.abs(counts[j] - 1000) < 150, "item " + j + " drawn " + counts[j] + " of 5000 times");
        }
    }

    @Test
    void userWhoSawEveryItemGetsNoNegativesButKeepsPositives() {
        int[] users = {0, 0, 0, 1};
        int[] items = {0, 1, 2, 0};
        UserItems train = UserItems.of(2, 3, users, items, 4);
        NegativeSampler sampler = new NegativeSampler(train, 4, 1);
        EpochExamples ex = sampler.sample(0);
        assertEquals(4 + 4, ex.size());
        assertEquals(ex.size(), sampler.examplesPerEpoch());
        for (int i = 0; i < ex.size(); i++) {
            if (ex.signs()[i] > 0) {
                assertEquals(1, ex.users()[i]);
            }
        }
    }
}
