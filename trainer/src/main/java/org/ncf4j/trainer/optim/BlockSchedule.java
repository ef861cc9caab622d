package org.ncf4j.trainer.optim;

import java.util.ArrayList;
import java.util.List;
import org.ncf4j.trainer.sampling.EpochExamples;

/**
 * How Hogwild workers share an epoch without sharing rows. Users are cut into {@code B} ranges and items into
 * {@code B} (each holding about equal numbers of examples), which makes B x B blocks of examples; a worker trains one
 * block at a time, chosen so that no other worker is on its user range or its item range (the block scheduling of
 * LIBMF's FPSGD, Chin et al. 2015). Two workers then never update the same embedding row at once, and a row stays
 * in the caches of the core that trains it. Rows both cores wrote had to move from one core's caches to the other's
 * before each use: at MovieLens 1M's counts (6,040 users and 3,706 items, every row used by both cores within a few
 * steps) that made GMF's row work 1.6 times as long with two workers as with one. A range is made of stripes of
 * consecutive ids ({@link #cut}), so that almost no cache line holds rows of two ranges: ranges dealt out id by id
 * made every line shared and gained nothing.
 *
 * <p>Each epoch's examples are first put in the order of their blocks, in place (a stable counting sort, with 5
 * bytes per example for the time it takes), so that a block is one slice of the epoch; within a block the examples
 * keep the epoch's shuffled order. A worker that finds no free block takes a block whose ranges are in use (as
 * plain Hogwild would) rather than wait, and at the end of an epoch joins a block in progress, so that no core
 * idles while examples remain. With one worker there is one block, the whole epoch in its order, as before.
 */
final class BlockSchedule {
    private static final int MAX_RANGES = 16;
    /** Consecutive ids that always fall in one range: 16 rows of GMF's factor 8 and their state, 1.6 kB. */
    private static final int STRIPE = 16;
    private final int ranges;
    /** The range of each user and of each item. */
    private final byte[] userRange;
    private final byte[] itemRange;

    private BlockSchedule(int ranges, byte[] userRange, byte[] itemRange) {
        this.ranges = ranges;
        this.userRange = userRange;
        this.itemRange = itemRange;
    }

    /**
     * The schedule for {@code workers} workers, its ranges balanced on one epoch's examples (every epoch has as many
     * examples of each user; items' counts vary a little with the negatives drawn).
     */
    static BlockSchedule of(EpochExamples examples, int users, int items, int workers) {
        // twice the workers: a worker that finishes a block finds a free one among many (at least workers + 1
        // ranges are needed for one to exist); at most 16, so that a block's number fits a byte (beyond 15 workers
        // some take blocks in use, as plain Hogwild would)
        int ranges = workers == 1 ? 1 : Math.min(2 * workers, MAX_RANGES);
        return new BlockSchedule(ranges, cut(examples.users(), users, ranges), cut(examples.items(), items, ranges));
    }

    /**
     * Ranges of ids {@code [0, size)} holding about equal numbers of {@code ids}, each made of stripes of
     * {@link #STRIPE} consecutive ids dealt out in a seeded random order. Stripes, not single ids: no cache line
     * holds rows of two ranges but at a stripe's ends. In random order, not by id: ids are often in order of
     * popularity or of first appearance, and a range of only rare items would give its blocks almost only
     * negatives, so that the layers would swing from block to block (GMF's HR@10 fell by 0.015 on MovieLens 1M with
     * ranges cut in id order).
     */
    private static byte[] cut(int[] ids, int size, int ranges) {
        int stripes = (size + STRIPE - 1) / STRIPE;
        long[] counts = new long[stripes];
        for (int id : ids) {
            counts[id / STRIPE]++;
        }
        int[] order = new int[stripes];
        for (int k = 0; k < stripes; k++) {
            order[k] = k;
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(0x5EEDL + size);
        for (int k = stripes - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = order[k];
            order[k] = order[j];
            order[j] = t;
        }
        long total = Math.max(1, ids.length);
        byte[] stripeRange = new byte[stripes];
        long before = 0;
        for (int stripe : order) {
            stripeRange[stripe] = (byte) Math.min(ranges - 1, (before * ranges + counts[stripe] / 2) / total);
            before += counts[stripe];
        }
        byte[] range = new byte[size];
        for (int id = 0; id < size; id++) {
            range[id] = stripeRange[id / STRIPE];
        }
        return range;
    }

    int ranges() {
        return ranges;
    }

    int rangeOfUser(int user) {
        return userRange[user];
    }

    int rangeOfItem(int item) {
        return itemRange[item];
    }

    /** One epoch's blocks, handed to workers as they ask. */
    Epoch start(EpochExamples examples) {
        return new Epoch(examples);
    }

    /** A block: the examples of one user range and one item range, a slice of the epoch's examples. */
    static final class Block {
        private final EpochExamples examples;
        private final int users;
        private final int items;
        private final int end;
        private int next;
        private int workers;

        private Block(EpochExamples examples, int users, int items, int from, int end) {
            this.examples = examples;
            this.users = users;
            this.items = items;
            this.next = from;
            this.end = end;
        }

        /**
         * Copies the block's next examples, up to {@code u.length}, into {@code u}, {@code i} and {@code s}, and
         * returns how many: 0 once the block is done.
         */
        synchronized int fill(int[] u, int[] i, float[] s) {
            int n = Math.min(u.length, end - next);
            System.arraycopy(examples.users(), next, u, 0, n);
            System.arraycopy(examples.items(), next, i, 0, n);
            System.arraycopy(examples.signs(), next, s, 0, n);
            next += n;
            return n;
        }

        int userRange() {
            return users;
        }

        int itemRange() {
            return items;
        }

        private synchronized long left() {
            return end - next;
        }
    }

    /**
     * Puts the examples in the order of their blocks (block {@code a * ranges + b} holds user range a and item range
     * b), keeping their order within a block, and returns where each block starts (and, last, where the examples
     * end).
     */
    private int[] order(EpochExamples examples) {
        int[] users = examples.users();
        int[] items = examples.items();
        float[] signs = examples.signs();
        int n = users.length;
        byte[] block = new byte[n];
        int[] from = new int[ranges * ranges + 1];
        for (int k = 0; k < n; k++) {
            int b = userRange[users[k]] * ranges + itemRange[items[k]];
            block[k] = (byte) b;
            from[b + 1]++;
        }
        for (int b = 0; b < ranges * ranges; b++) {
            from[b + 1] += from[b];
        }
        int[] sorted = new int[n];
        scatter(users, block, from, sorted);
        System.arraycopy(sorted, 0, users, 0, n);
        scatter(items, block, from, sorted);
        System.arraycopy(sorted, 0, items, 0, n);
        int[] bits = sorted; // the signs go through the same buffer, as their bits
        int[] at = from.clone();
        for (int k = 0; k < n; k++) {
            bits[at[block[k] & 0xFF]++] = Float.floatToRawIntBits(signs[k]);
        }
        for (int k = 0; k < n; k++) {
            signs[k] = Float.intBitsToFloat(bits[k]);
        }
        return from;
    }

    /** Writes {@code values} into {@code out} in the order of their blocks. */
    private static void scatter(int[] values, byte[] block, int[] from, int[] out) {
        int[] at = from.clone();
        for (int k = 0; k < values.length; k++) {
            out[at[block[k] & 0xFF]++] = values[k];
        }
    }

    /** The blocks of one epoch and which ranges workers are on. */
    final class Epoch {
        private final List<Block> blocks = new ArrayList<>();
        private final int[] onUsers = new int[ranges];
        private final int[] onItems = new int[ranges];

        private Epoch(EpochExamples examples) {
            int[] from = ranges == 1 ? new int[] {0, examples.size()} : order(examples);
            for (int b = 0; b < ranges * ranges; b++) {
                if (from[b + 1] > from[b]) {
                    blocks.add(new Block(examples, b / ranges, b % ranges, from[b], from[b + 1]));
                }
            }
        }

        /**
         * Gives back {@code done} (null at a worker's first call) and returns the next block to train, or null when
         * every block is done or being finished. In order of preference: an untouched block whose user and item
         * ranges are free, the one with the most examples; any untouched block; the block in progress with the most
         * examples left.
         */
        synchronized Block next(Block done) {
            if (done != null) {
                done.workers--;
                onUsers[done.users]--;
                onItems[done.items]--;
            }
            Block free = null;
            Block untouched = null;
            Block busy = null;
            for (Block b : blocks) {
                long left = b.left();
                if (left == 0) {
                    continue;
                }
                if (b.workers == 0) {
                    if (onUsers[b.users] == 0 && onItems[b.items] == 0 && (free == null || left > free.left())) {
                        free = b;
                    }
                    if (untouched == null || left > untouched.left()) {
                        untouched = b;
                    }
                } else if (busy == null || left > busy.left()) {
                    busy = b;
                }
            }
            Block chosen = free != null ? free : untouched != null ? untouched : busy;
            if (chosen != null) {
                chosen.workers++;
                onUsers[chosen.users]++;
                onItems[chosen.items]++;
            }
            return chosen;
        }
    }
}
