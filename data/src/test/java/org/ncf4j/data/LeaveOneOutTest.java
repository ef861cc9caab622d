package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LeaveOneOutTest {

    /**
     * a: x@10 y@30 z@20 w@30 (w is latest: same time as y, later line; y second latest);
     * b: a single interaction; c: p@5 q@6 p@7 (p counted once, latest);
     * d: the same item twice (one distinct item); e: ten filler items.
     */
    private static Interactions data() {
        Interactions.Builder b = new Interactions.Builder();
        b.add("a", "x", 10);
        b.add("a", "y", 30);
        b.add("b", "x", 50);
        b.add("a", "z", 20);
        b.add("c", "p", 5);
        b.add("a", "w", 30);
        b.add("c", "q", 6);
        b.add("d", "p", 1);
        b.add("c", "p", 7);
        b.add("d", "p", 2);
        for (int i = 0; i < 10; i++) {
            b.add("e", "i" + i, i);
        }
        return b.build("synthetic");
    }

    private static String heldOut(Interactions data, EvalSet set, String user) {
        int u = data.users().indexOf(user);
        for (int i = 0; i < set.size(); i++) {
            if (set.users()[i] == u) {
                return data.items().id(set.positives()[i]);
            }
        }
        return null;
    }

    private static Set<String> trainItems(Interactions data, Split split, String user) {
        Set<String> out = new TreeSet<>();
        for (int it : split.train().items(data.users().indexOf(user))) {
            out.add(data.items().id(it));
        }
        return out;
    }

    @Test
    void holdsOutLatestByTimestampWithLaterLineWinningTies() {
        Interactions data = data();
        Split split = new LeaveOneOut(false, 3, 1).split("t", data);
        assertEquals("w", heldOut(data, split.test(), "a"));
        assertEquals(Set.of("x", "y", "z"), trainItems(data, split, "a"));
        assertNull(split.validation());
    }

    @Test
    void validationIsTheSecondLatest() {
        Interactions data = data();
        Split split = new LeaveOneOut(true, 3, 1).split("t", data);
        assertEquals("w", heldOut(data, split.test(), "a"));
        assertEquals("y", heldOut(data, split.validation(), "a"));
        assertEquals(Set.of("x", "z"), trainItems(data, split, "a"));
        assertEquals("i9", heldOut(data, split.test(), "e"));
        assertEquals("i8", heldOut(data, split.validation(), "e"));
    }

    @Test
    void userWithTwoDistinctItemsGetsTestButNoValidation() {
        Interactions data = data();
        Split split = new LeaveOneOut(true, 3, 1).split("t", data);
        assertEquals("p", heldOut(data, split.test(), "c"));
        assertNull(heldOut(data, split.validation(), "c"));
        assertEquals(Set.of("q"), trainItems(data, split, "c"));
        assertEquals(2, split.validation().size(), "a and e");
    }

    @Test
    void singleItemUsersStayInTrainingAndAreCounted() {
        Interactions data = data();
        Split split = new LeaveOneOut(false, 3, 1).split("t", data);
        assertEquals(2, split.trainOnlyUsers(), "b has one interaction, d one item twice");
        assertNull(heldOut(data, split.test(), "b"));
        assertNull(heldOut(data, split.test(), "d"));
        assertEquals(Set.of("x"), trainItems(data, split, "b"));
        assertEquals(Set.of("p"), trainItems(data, split, "d"));
        assertEquals(3, split.test().size());
        assertTrue(split.summary().contains("2 users with one interaction kept in training only"),
                split.summary());
    }

    @Test
    void duplicatePairsAreCountedOnceAtTheirLatestTime() {
        Interactions.Builder b = new Interactions.Builder();
        b.add("u", "old", 1);
        b.add("u", "new", 2);
        b.add("u", "old", 3);
        b.add("u", "old", 4);
        b.add("v", "new", 1);
        b.add("v", "old", 2);
        Interactions data = b.build("dups");
        Split split = new LeaveOneOut(false, 1, 1).split("dups", data);
        assertEquals("old", heldOut(data, split.test(), "u"));
        assertEquals(Set.of("new"), trainItems(data, split, "u"));
        assertEquals(2, split.train().size(), "one training pair each for u and v");
    }

    @Test
    void withoutTimestampsTheLastLineIsLatest() {
        Interactions.Builder b = new Interactions.Builder();
        b.add("u", "first", 0);
        b.add("u", "second", 0);
        b.add("u", "third", 0);
        Interactions data = b.build("no-ts");
        Split split = new LeaveOneOut(true, 1, 1).split("no-ts", data);
        assertEquals("third", heldOut(data, split.test(), "u"));
        assertEquals("second", heldOut(data, split.validation(), "u"));
    }

    @Test
    void negativesExcludeEveryInteractedItemIncludingHeldOutOnes() {
        Interactions data = data();
        // more negatives than there are unseen items: each user gets exactly its unseen items
        Split split = new LeaveOneOut(true, 100, 1).split("t", data);
        int numItems = data.items().size();
        for (EvalSet set : new EvalSet[] {split.test(), split.validation()}) {
            for (int i = 0; i < set.size(); i++) {
                int u = set.users()[i];
                Set<Integer> interacted = new TreeSet<>();
                for (int k = 0; k < data.size(); k++) {
                    if (data.user(k) == u) {
                        interacted.add(data.item(k));
                    }
                }
                int[] expected = IntStream.range(0, numItems).filter(it -> !interacted.contains(it)).toArray();
                assertArrayEquals(expected, set.negatives(i), "user " + data.users().id(u));
                int positive = set.positives()[i];
                assertFalse(Arrays.stream(set.negatives(i)).anyMatch(it -> it == positive));
            }
        }
    }

    @Test
    void samplesTheRequestedNumberOfDistinctNegatives() {
        Interactions data = data();
        Split split = new LeaveOneOut(true, 4, 9).split("t", data);
        for (int[] neg : split.test().allNegatives()) {
            assertEquals(4, Arrays.stream(neg).distinct().count());
        }
        assertEquals(3 * 5, split.test().candidates());
    }

    @Test
    void sameSeedReproducesNegativesAndAnotherSeedChangesThem() {
        Interactions data = data();
        Split a = new LeaveOneOut(true, 4, 123).split("t", data);
        Split b = new LeaveOneOut(true, 4, 123).split("t", data);
        Split c = new LeaveOneOut(true, 4, 124).split("t", data);
        assertArrayEquals(a.test().allNegatives(), b.test().allNegatives());
        assertArrayEquals(a.validation().allNegatives(), b.validation().allNegatives());
        assertArrayEquals(a.test().positives(), c.test().positives(), "held-out items do not depend on the seed");
        assertNotEquals(Arrays.deepToString(a.test().allNegatives())
                + Arrays.deepToString(a.validation().allNegatives()),
                Arrays.deepToString(c.test().allNegatives()) + Arrays.deepToString(c.validation().allNegatives()));
    }
}
