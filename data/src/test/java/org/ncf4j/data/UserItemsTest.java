package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UserItemsTest {

    @Test
    void keepsEachUsersDistinctItemsSorted() {
        int[] users = {1, 0, 1, 1, 0, 1};
        int[] items = {4, 2, 0, 4, 2, 3};
        UserItems ui = UserItems.of(3, 5, users, items, users.length);
        assertEquals(3, ui.numUsers());
        assertEquals(5, ui.numItems());
        assertArrayEquals(new int[] {2}, ui.items(0));
        assertArrayEquals(new int[] {0, 3, 4}, ui.items(1));
        assertArrayEquals(new int[0], ui.items(2));
        assertEquals(4, ui.size());
        assertEquals(3, ui.count(1));
        assertEquals(0, ui.count(2));
        assertArrayEquals(new int[] {0, 1, 4, 4}, ui.offsets());
        assertArrayEquals(new int[] {2, 0, 3, 4}, ui.flatItems());
    }

    @Test
    void usesOnlyTheFirstNPairs() {
        UserItems ui = UserItems.of(1, 3, new int[] {0, 0}, new int[] {1, 2}, 1);
        assertArrayEquals(new int[] {1}, ui.items(0));
    }

    @Test
    void containsAnswersForSeenAndUnseenItems() {
        UserItems ui = UserItems.of(2, 6, new int[] {0, 0, 1}, new int[] {5, 1, 3}, 3);
        assertTrue(ui.contains(0, 1));
        assertTrue(ui.contains(0, 5));
        assertFalse(ui.contains(0, 3));
        assertTrue(ui.contains(1, 3));
        assertFalse(ui.contains(1, 5));
    }

    @Test
    void rejectsItemOutsideTheCatalogue() {
        assertThrows(IllegalArgumentException.class, () -> UserItems.of(1, 3, new int[] {0}, new int[] {3}, 1));
    }

    @Test
    void nthUnseenEqualsBruteForceForRandomRows() {
        SplittableRandom random = new SplittableRandom(7);
        int numItems = 40;
        // row density from empty to every item but one, plus rows hugging both ends of the catalogue
        double[] densities = {0, 0.05, 0.3, 0.5, 0.8, 0.95};
        List<int[]> pairs = new ArrayList<>();
        int user = 0;
        for (double d : densities) {
            for (int rep = 0; rep < 5; rep++, user++) {
                for (int it = 0; it < numItems; it++) {
                    if (random.nextDouble() < d) {
                        pairs.add(new int[] {user, it});
                    }
                }
            }
        }
        int fullButOne = user++;
        for (int it = 0; it < numItems; it++) {
            if (it != 17) {
                pairs.add(new int[] {fullButOne, it});
            }
        }
        int low = user++;
        int high = user++;
        for (int it = 0; it < 10; it++) {
            pairs.add(new int[] {low, it});
            pairs.add(new int[] {high, numItems - 1 - it});
        }
        int[] us = pairs.stream().mapToInt(p -> p[0]).toArray();
        int[] is = pairs.stream().mapToInt(p -> p[1]).toArray();
        UserItems ui = UserItems.of(user, numItems, us, is, us.length);

        for (int u = 0; u < user; u++) {
            List<Integer> expected = new ArrayList<>();
            for (int it = 0; it < numItems; it++) {
                if (!ui.contains(u, it)) {
                    expected.add(it);
                }
            }
            assertEquals(numItems - ui.count(u), expected.size());
            for (int r = 0; r < expected.size(); r++) {
                assertEquals(expected.get(r), ui.nthUnseen(u, r), "user " + u + ", r " + r);
            }
        }
        assertEquals(0, ui.count(0), "the first row is empty");
        assertEquals(17, ui.nthUnseen(fullButOne, 0));
        assertEquals(10, ui.nthUnseen(low, 0));
        assertEquals(numItems - 11, ui.nthUnseen(high, numItems - 11));
    }
}
