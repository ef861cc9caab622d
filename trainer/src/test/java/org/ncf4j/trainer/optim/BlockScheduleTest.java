package org.ncf4j.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.ncf4j.trainer.sampling.EpochExamples;

class BlockScheduleTest {
    private static final int USERS = 300;
    private static final int ITEMS = 200;

    /** Skewed users and items (some much more frequent), as real interactions are. */
    private static EpochExamples examples(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] users = new int[n];
        int[] items = new int[n];
        float[] signs = new float[n];
        for (int k = 0; k < n; k++) {
            users[k] = (int) (USERS * Math.pow(r.nextDouble(), 2));
            items[k] = (int) (ITEMS * Math.pow(r.nextDouble(), 3));
            signs[k] = r.nextInt(5) == 0 ? -1f : 1f;
        }
        return new EpochExamples(0, users, items, signs, n / 5, n - n / 5);
    }

    @Test
    void oneWorkerTakesTheWholeEpochInItsOrder() {
        EpochExamples ex = examples(1003, 1);
        BlockSchedule schedule = BlockSchedule.of(ex, USERS, ITEMS, 1);
        assertEquals(1, schedule.ranges());
        BlockSchedule.Epoch epoch = schedule.start(ex);
        BlockSchedule.Block block = epoch.next(null);
        int[] u = new int[10];
        int[] i = new int[10];
        float[] s = new float[10];
        int at = 0;
        for (int n; (n = block.fill(u, i, s)) > 0; at += n) {
            assertEquals(Math.min(10, ex.size() - at), n);
            for (int k = 0; k < n; k++) {
                assertEquals(ex.users()[at + k], u[k]);
                assertEquals(ex.items()[at + k], i[k]);
                assertEquals(ex.signs()[at + k], s[k]);
            }
        }
        assertEquals(ex.size(), at);
        assertNull(epoch.next(block));
    }

    @Test
    void rangesAreStripesOfIdsAndHoldAboutEqualShares() {
        EpochExamples ex = examples(20_000, 2);
        BlockSchedule schedule = BlockSchedule.of(ex, USERS, ITEMS, 2);
        assertEquals(4, schedule.ranges());
        long[] perUserRange = new long[4];
        long[] perItemRange = new long[4];
        for (int k = 0; k < ex.size(); k++) {
            perUserRange[schedule.rangeOfUser(ex.users()[k])]++;
            perItemRange[schedule.rangeOfItem(ex.items()[k])]++;
        }
        // 16 consecutive ids share a range (their rows share no cache line with another range's)
        for (int id = 0; id < USERS; id++) {
            assertEquals(schedule.rangeOfUser(id - id % 16), schedule.rangeOfUser(id), "user " + id);
        }
        for (int id = 0; id < ITEMS; id++) {
            assertEquals(schedule.rangeOfItem(id - id % 16), schedule.rangeOfItem(id), "item " + id);
        }
        // stripes are dealt out in random order, not cut in the order of ids (here, the order of frequency)
        boolean outOfOrder = false;
        for (int id = 16; id < ITEMS; id += 16) {
            outOfOrder |= schedule.rangeOfItem(id) < schedule.rangeOfItem(id - 16);
        }
        assertTrue(outOfOrder, "item ranges follow the ids' order");
        for (int r = 0; r < 4; r++) {
            // a range is a quarter of the examples, give or take the heaviest stripe
            assertTrue(Math.abs(perUserRange[r] - ex.size() / 4) <= heaviestStripe(ex.users()), "user range " + r);
            assertTrue(Math.abs(perItemRange[r] - ex.size() / 4) <= heaviestStripe(ex.items()), "item range " + r);
        }
    }

    private static int heaviestStripe(int[] ids) {
        int[] counts = new int[Math.max(USERS, ITEMS) / 16 + 1];
        for (int id : ids) {
            counts[id / 16]++;
        }
        return Arrays.stream(counts).max().orElseThrow();
    }

    @Test
    void twoWorkersAtOnceShareNeitherUsersNorItems() {
        EpochExamples ex = examples(20_000, 3);
        BlockSchedule.Epoch epoch = BlockSchedule.of(ex, USERS, ITEMS, 2).start(ex);
        BlockSchedule.Block a = epoch.next(null);
        BlockSchedule.Block b = epoch.next(null);
        assertNotEquals(a.userRange(), b.userRange());
        assertNotEquals(a.itemRange(), b.itemRange());
        // a worker done with its block takes another whose ranges the other worker is not on
        drain(a);
        BlockSchedule.Block c = epoch.next(a);
        assertNotEquals(b.userRange(), c.userRange());
        assertNotEquals(b.itemRange(), c.itemRange());
    }

    @Test
    void aWorkerWithNothingLeftJoinsTheLastBlockInsteadOfIdling() {
        EpochExamples ex = examples(5_000, 4);
        BlockSchedule.Epoch epoch = BlockSchedule.of(ex, USERS, ITEMS, 2).start(ex);
        BlockSchedule.Block first = epoch.next(null);
        BlockSchedule.Block other = epoch.next(null);
        while (other != first) {
            assertNotNull(other, "the block still in progress is offered before the epoch ends");
            drain(other);
            other = epoch.next(other);
        }
        assertSame(first, other);
        assertTrue(drain(first) > 0);
        assertNull(epoch.next(first));
        assertNull(epoch.next(other));
    }

    @Test
    void workersAtOnceTrainEveryExampleExactlyOnce() throws Exception {
        EpochExamples ex = examples(50_000, 5);
        BlockSchedule schedule = BlockSchedule.of(ex, USERS, ITEMS, 3);
        for (int round = 0; round < 3; round++) {
            BlockSchedule.Epoch epoch = schedule.start(ex);
            Map<List<Object>, Integer> seen = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    running.add(pool.submit(() -> {
                        int[] u = new int[7];
                        int[] i = new int[7];
                        float[] s = new float[7];
                        BlockSchedule.Block block = epoch.next(null);
                        while (block != null) {
                            int n = block.fill(u, i, s);
                            if (n == 0) {
                                block = epoch.next(block);
                            }
                            for (int k = 0; k < n; k++) {
                                seen.merge(List.of(u[k], i[k], s[k]), 1, Integer::sum);
                            }
                        }
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            Map<List<Object>, Integer> expected = new HashMap<>();
            for (int k = 0; k < ex.size(); k++) {
                expected.merge(List.of(ex.users()[k], ex.items()[k], ex.signs()[k]), 1, Integer::sum);
            }
            assertEquals(expected, seen);
        }
    }

    @Test
    void aBlockIsItsExamplesInTheEpochsOrderAcrossChunks() {
        int n = 2 * BlockSchedule.CHUNK + 12_345; // three chunks, the last a short one
        EpochExamples ex = examples(n, 6);
        int[] users = ex.users().clone();
        int[] items = ex.items().clone();
        float[] signs = ex.signs().clone();
        BlockSchedule schedule = BlockSchedule.of(ex, USERS, ITEMS, 2);
        BlockSchedule.Epoch epoch = schedule.start(ex);
        int total = 0;
        int[] u = new int[1000];
        int[] i = new int[1000];
        float[] s = new float[1000];
        for (BlockSchedule.Block block = epoch.next(null); block != null; block = epoch.next(block)) {
            int k = 0;
            for (int got; (got = block.fill(u, i, s)) > 0; total += got) {
                for (int j = 0; j < got; j++, k++) {
                    while (schedule.rangeOfUser(users[k]) != block.userRange()
                            || schedule.rangeOfItem(items[k]) != block.itemRange()) {
                        k++; // the next example of this block, in the epoch's order
                    }
                    assertEquals(users[k], u[j]);
                    assertEquals(items[k], i[j]);
                    assertEquals(signs[k], s[j]);
                }
            }
            for (; k < n; k++) {
                assertFalse(schedule.rangeOfUser(users[k]) == block.userRange()
                        && schedule.rangeOfItem(items[k]) == block.itemRange(), "an example left out of its block");
            }
        }
        assertEquals(n, total);
        // the epoch is rearranged in place: the same examples
        assertEquals(multiset(users, items, signs, 0, n), multiset(ex.users(), ex.items(), ex.signs(), 0, n));
    }

    private static Map<List<Object>, Integer> multiset(int[] u, int[] i, float[] s, int from, int to) {
        Map<List<Object>, Integer> out = new HashMap<>();
        for (int k = from; k < to; k++) {
            out.merge(List.of(u[k], i[k], s[k]), 1, Integer::sum);
        }
        return out;
    }

    private static int drain(BlockSchedule.Block block) {
        int[] u = new int[64];
        int[] i = new int[64];
        float[] s = new float[64];
        int total = 0;
        for (int n; (n = block.fill(u, i, s)) > 0; ) {
            total += n;
        }
        return total;
    }
}
