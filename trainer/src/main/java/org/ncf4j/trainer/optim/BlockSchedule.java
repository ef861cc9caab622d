package org.ncf4j.trainer.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
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
 * <p>Each epoch's examples are first put in the order of their blocks, chunk by chunk ({@link #order}), so that a
 * block is one slice of each chunk; within a block the examples keep the epoch's shuffled order. A worker that
 * finds no free block takes a block whose ranges are in use (as plain Hogwild would) rather than wait, and at the
 * end of an epoch joins a block in progress, so that no core idles while examples remain. With one worker there is
 * one block, the whole epoch in its order, as before.
 */
final class BlockSchedule {
    private static final int MAX_RANGES = 16;
    /** Examples put in block order at a time: the sort's buffers are this many examples' (13 MB). */
    static final int CHUNK = 1 << 20;
    /** Consecutive ids that always fall in one range: 16 rows of GMF's factor 8 and their state, 1.6 kB. */
    private static final int STRIPE = 16;
    private final int ranges;
    /**
     * The range of each stripe of {@link #STRIPE} users and of items: a table 16 times smaller than one per id (625 kB
     * for 10^7 users), which stays in the caches while an epoch is put in block order.
     */
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
        // ranges are needed for one to exist); at most 16, 256 blocks (beyond 15 workers some take blocks in use,
        // as plain Hogwild would)
        int ranges = workers == 1 ? 1 : Math.min(2 * workers, MAX_RANGES);
        return new BlockSchedule(ranges, cut(examples.users(), users, ranges), cut(examples.items(), items, ranges));
    }

    /**
     * The range of each stripe of {@link #STRIPE} consecutive ids of {@code [0, size)}: stripes dealt out in a seeded
     * random order, so that each range holds about equal numbers of {@code ids}. Stripes, not single ids: no cache line
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
        SplittableRandom random = new SplittableRandom(0x5EEDL + size);
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
        return stripeRange;
    }

    int ranges() {
        return ranges;
    }

    int rangeOfUser(int user) {
        return userRange[user / STRIPE];
    }

    int rangeOfItem(int item) {
        return itemRange[item / STRIPE];
    }

    /** One epoch's blocks, handed to workers as they ask. */
    Epoch start(EpochExamples examples) {
        return new Epoch(examples);
    }

    /**
     * A block: the examples of one user range and one item range, in the epoch's order; slices of the epoch, one in
     * each chunk ({@link #order}).
     */
    static final class Block {
        private final EpochExamples examples;
        private final int users;
        private final int items;
        private final int[] starts;
        private final int[] ends;
        private int slice;
        private int next;
        private long left;
        /** Workers on this block (guarded by the epoch's lock). */
        private int workers;

        private Block(EpochExamples examples, int users, int items, int[] starts, int[] ends) {
            this.examples = examples;
            this.users = users;
            this.items = items;
            this.starts = starts;
            this.ends = ends;
            this.next = starts[0]; // an epoch makes no block without examples
            for (int k = 0; k < starts.length; k++) {
                left += ends[k] - starts[k];
            }
        }

        /**
         * Copies the block's next examples, up to {@code u.length}, into {@code u}, {@code i} and {@code s}, and
         * returns how many: 0 once the block is done.
         */
        synchronized int fill(int[] u, int[] i, float[] s) {
            int n = 0;
            while (n < u.length && slice < starts.length) {
                int take = Math.min(u.length - n, ends[slice] - next);
                System.arraycopy(examples.users(), next, u, n, take);
                System.arraycopy(examples.items(), next, i, n, take);
                System.arraycopy(examples.signs(), next, s, n, take);
                n += take;
                next += take;
                if (next == ends[slice] && ++slice < starts.length) {
                    next = starts[slice];
                }
            }
            left -= n;
            return n;
        }

        int userRange() {
            return users;
        }

        int itemRange() {
            return items;
        }

        private synchronized long left() {
            return left;
        }
    }

    /**
     * Puts the examples in the order of their blocks (block {@code a * ranges + b} holds user range a and item range
     * b) within each chunk of {@link #CHUNK} examples, keeping their order within a block, and returns where each
     * block starts in each chunk ({@code [chunk][block]}, and last where the chunk ends). A stable counting sort by
     * chunks: its buffers are a chunk's (13 MB), whatever the epoch's size, where one over the whole epoch would need
     * 5 bytes per example beside it (1 GB for the 200 M examples of a 10^7-user epoch, while the sampler holds the
     * next epoch).
     */
    private int[][] order(EpochExamples examples) {
        int[] users = examples.users();
        int[] items = examples.items();
        float[] signs = examples.signs();
        int n = users.length;
        int blocks = ranges * ranges;
        int chunks = (n + CHUNK - 1) / CHUNK;
        int size = Math.min(n, CHUNK);
        byte[] block = new byte[size];
        int[] u = new int[size];
        int[] it = new int[size];
        float[] sg = new float[size];
        int[][] from = new int[chunks][blocks + 1];
        for (int c = 0; c < chunks; c++) {
            int lo = c * CHUNK;
            int hi = Math.min(n, lo + CHUNK);
            int[] f = from[c];
            for (int k = lo; k < hi; k++) {
                int b = blockOf(users[k], items[k]);
                block[k - lo] = (byte) b;
                f[b + 1]++;
            }
            f[0] = lo;
            for (int b = 0; b < blocks; b++) {
                f[b + 1] += f[b];
            }
            int[] at = Arrays.copyOf(f, blocks);
            for (int k = lo; k < hi; k++) {
                int p = at[block[k - lo] & 0xFF]++ - lo;
                u[p] = users[k];
                it[p] = items[k];
                sg[p] = signs[k];
            }
            System.arraycopy(u, 0, users, lo, hi - lo);
            System.arraycopy(it, 0, items, lo, hi - lo);
            System.arraycopy(sg, 0, signs, lo, hi - lo);
        }
        return from;
    }

    private int blockOf(int user, int item) {
        return userRange[user / STRIPE] * ranges + itemRange[item / STRIPE];
    }

    /** The blocks of one epoch and which ranges workers are on. */
    final class Epoch {
        private final List<Block> blocks = new ArrayList<>();
        private final int[] onUsers = new int[ranges];
        private final int[] onItems = new int[ranges];

        private Epoch(EpochExamples examples) {
            int[][] from = ranges == 1 ? new int[][] {{0, examples.size()}} : order(examples);
            for (int b = 0; b < ranges * ranges; b++) {
                int[] starts = new int[from.length];
                int[] ends = new int[from.length];
                int slices = 0;
                for (int[] f : from) {
                    if (f[b + 1] > f[b]) {
                        starts[slices] = f[b];
                        ends[slices++] = f[b + 1];
                    }
                }
                if (slices > 0) {
                    blocks.add(new Block(examples, b / ranges, b % ranges, Arrays.copyOf(starts, slices),
                            Arrays.copyOf(ends, slices)));
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
