package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvalNegativesTest {
    /** User 0 saw every even item of 0..99; user 1 saw all but items 3, 50 and 97. */
    private static UserItems seen() {
        int n = 50 + 97;
        int[] users = new int[n];
        int[] items = new int[n];
        int k = 0;
        for (int it = 0; it < 100; it += 2) {
            users[k] = 0;
            items[k++] = it;
        }
        for (int it = 0; it < 100; it++) {
            if (it != 3 && it != 50 && it != 97) {
                users[k] = 1;
                items[k++] = it;
            }
        }
        return UserItems.of(2, 100, users, items, k);
    }

    @Test
    void drawsKDistinctUnseenItemsSorted() {
        UserItems seen = seen();
        for (long seed = 0; seed < 50; seed++) {
            int[] neg = EvalNegatives.sample(seen, 0, 20, new SplittableRandom(seed));
            assertEquals(20, neg.length);
            assertEquals(20, Arrays.stream(neg).distinct().count(), "distinct");
            for (int i = 0; i < neg.length; i++) {
                assertFalse(seen.contains(0, neg[i]), "item " + neg[i] + " was interacted with");
                assertTrue(i == 0 || neg[i - 1] < neg[i], "sorted");
            }
        }
    }

    @Test
    void drawsEveryUnseenItemWhenTheyNumberExactlyK() {
        UserItems seen = seen();
        int[] neg = EvalNegatives.sample(seen, 0, 50, new SplittableRandom(1));
        assertEquals(50, neg.length);
        assertTrue(Arrays.stream(neg).allMatch(it -> it % 2 == 1));
    }

    @Test
    void returnsAllUnseenItemsWhenFewerThanKExist() {
        int[] neg = EvalNegatives.sample(seen(), 1, 99, new SplittableRandom(1));
        assertArrayEquals(new int[] {3, 50, 97}, neg);
    }

    @Test
    void sameSeedGivesSameNegativesAndAnotherSeedOthers() {
        UserItems seen = seen();
        int[] a = EvalNegatives.sample(seen, 0, 10, new SplittableRandom(42));
        int[] b = EvalNegatives.sample(seen, 0, 10, new SplittableRandom(42));
        int[] c = EvalNegatives.sample(seen, 0, 10, new SplittableRandom(43));
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
    }

    @Test
    void everyUnseenItemCanBeDrawn() {
        UserItems seen = seen();
        boolean[] drawn = new boolean[100];
        SplittableRandom random = new SplittableRandom(3);
        for (int rep = 0; rep < 200; rep++) {
            for (int it : EvalNegatives.sample(seen, 0, 5, random)) {
                drawn[it] = true;
            }
        }
        for (int it = 1; it < 100; it += 2) {
            assertTrue(drawn[it], "item " + it + " never drawn");
        }
    }
}
