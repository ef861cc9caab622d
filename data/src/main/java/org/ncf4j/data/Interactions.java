package org.ncf4j.data;

import java.util.Arrays;

/**
 * Interactions read from a dataset, in file order, with users and items as dense indices. Timestamps are 0 when
 * the dataset has none; file order then decides which interaction is the latest.
 */
public final class Interactions {
    private final String source;
    private final IdMap users;
    private final IdMap items;
    private final int[] userIdx;
    private final int[] itemIdx;
    /** Null when every timestamp is 0. */
    private final long[] timestamps;
    private final int size;

    public Interactions(String source, IdMap users, IdMap items, int[] userIdx, int[] itemIdx, long[] timestamps) {
        this(source, users, items, userIdx, itemIdx, timestamps, userIdx.length);
        if (userIdx.length != itemIdx.length || userIdx.length != timestamps.length) {
            throw new IllegalArgumentException("users, items and timestamps differ in length");
        }
    }

    /** The first {@code size} entries of the arrays, which may be longer; {@code timestamps} null for all 0. */
    private Interactions(String source, IdMap users, IdMap items, int[] userIdx, int[] itemIdx, long[] timestamps,
                         int size) {
        this.source = source;
        this.users = users;
        this.items = items;
        this.userIdx = userIdx;
        this.itemIdx = itemIdx;
        this.timestamps = timestamps;
        this.size = size;
    }

    /** Where the interactions came from (a path, or zip!entry), for messages. */
    public String source() {
        return source;
    }

    public IdMap users() {
        return users;
    }

    public IdMap items() {
        return items;
    }

    public int size() {
        return size;
    }

    public int user(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException("interaction " + i + " of " + size);
        }
        return userIdx[i];
    }

    public int item(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException("interaction " + i + " of " + size);
        }
        return itemIdx[i];
    }

    public long timestamp(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException("interaction " + i + " of " + size);
        }
        return timestamps == null ? 0 : timestamps[i];
    }

    /**
     * Builds interactions incrementally in primitive arrays (no boxing for millions of lines), grown by half when
     * full and handed over without a final copy; timestamps take memory only once one is not 0.
     */
    public static final class Builder {
        private final IdMap users = new IdMap();
        private final IdMap items = new IdMap();
        private int[] u;
        private int[] it;
        private long[] ts;
        private int n;

        public Builder() {
            this(1024);
        }

        /** A builder with room for {@code expected} interactions before it grows. */
        public Builder(int expected) {
            int cap = Math.max(16, expected);
            u = new int[cap];
            it = new int[cap];
        }

        public void add(String user, String item, long timestamp) {
            add(users.add(user), items.add(item), timestamp);
        }

        /** The index of a user id, assigned on first sight (for {@link #add(int, int, long)}). */
        int userIndex(String id) {
            return users.add(id);
        }

        int userIndex(byte[] b, int from, int to) {
            return users.add(b, from, to);
        }

        int itemIndex(String id) {
            return items.add(id);
        }

        int itemIndex(byte[] b, int from, int to) {
            return items.add(b, from, to);
        }

        /** Adds an interaction of indices from {@link #userIndex} and {@link #itemIndex}. */
        void add(int user, int item, long timestamp) {
            if (n == u.length) {
                int cap = (int) Math.min(Integer.MAX_VALUE - 16, n + (n >> 1) + 16L);
                if (cap <= n) {
                    throw new DataException("more than " + n + " interactions: too many for one dataset");
                }
                u = Arrays.copyOf(u, cap);
                it = Arrays.copyOf(it, cap);
                if (ts != null) {
                    ts = Arrays.copyOf(ts, cap);
                }
            }
            if (timestamp != 0 && ts == null) {
                ts = new long[u.length]; // the interactions so far had 0
            }
            u[n] = user;
            it[n] = item;
            if (ts != null) {
                ts[n] = timestamp;
            }
            n++;
        }

        public int size() {
            return n;
        }

        public Interactions build(String source) {
            return new Interactions(source, users, items, u, it, ts, n);
        }
    }
}
