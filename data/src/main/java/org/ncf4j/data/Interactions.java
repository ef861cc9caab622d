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
    private final long[] timestamps;

    public Interactions(String source, IdMap users, IdMap items, int[] userIdx, int[] itemIdx, long[] timestamps) {
        if (userIdx.length != itemIdx.length || userIdx.length != timestamps.length) {
            throw new IllegalArgumentException("users, items and timestamps differ in length");
        }
        this.source = source;
        this.users = users;
        this.items = items;
        this.userIdx = userIdx;
        this.itemIdx = itemIdx;
        this.timestamps = timestamps;
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
        return userIdx.length;
    }

    public int user(int i) {
        return userIdx[i];
    }

    public int item(int i) {
        return itemIdx[i];
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    /** Builds interactions incrementally, growing primitive arrays (no boxing for millions of lines). */
    public static final class Builder {
        private final IdMap users = new IdMap();
        private final IdMap items = new IdMap();
        private int[] u = new int[1024];
        private int[] it = new int[1024];
        private long[] ts = new long[1024];
        private int n;

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
                int cap = n * 2;
                u = Arrays.copyOf(u, cap);
                it = Arrays.copyOf(it, cap);
                ts = Arrays.copyOf(ts, cap);
            }
            u[n] = user;
            it[n] = item;
            ts[n] = timestamp;
            n++;
        }

        public int size() {
            return n;
        }

        public Interactions build(String source) {
            return new Interactions(source, users, items, Arrays.copyOf(u, n), Arrays.copyOf(it, n),
                    Arrays.copyOf(ts, n));
        }
    }
}
