package org.ncf4j.data;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Maps external ids (strings such as {@code "1193"} or {@code "84707B"}) to dense indices 0..size-1 in order of
 * first appearance, and back.
 *
 * <p>Kept compact for catalogues of 10^7 ids, with no object per id: an id that is a canonical decimal number
 * ("0", "42"; not "042" or "+1") is kept as its value, any other as its UTF-8 bytes in one shared array
 * ({@link IdBytes}). Numeric ids that are small for the map's size (ids 0..n as most datasets number them) are found
 * by value in an array, which keeps the lookups of consecutive ids in the same cache lines; the others through
 * open-addressing tables of primitives. Strings are made only when an id is asked for. 12 to 30 bytes per numeric
 * id, against some 90 for a {@code HashMap<String, Integer>} entry and its string.
 */
public final class IdMap {
    /** Per index: the id's value when it is numeric (>= 0), else {@code -1 - k} for the k-th string id. */
    private long[] byIndex = new long[1024];
    private int size;
    /** dense[n]: 1 + the index of numeric id n, 0 when absent; for ids below {@link #denseLimit()}. */
    private int[] dense = new int[0];
    /** The numeric ids not in {@link #dense}. */
    private final LongIntTable numeric = new LongIntTable();
    private final IdBytes strings = new IdBytes();

    /** Returns the index of {@code id}, assigning the next free index if it is new. */
    public int add(String id) {
        long n = canonicalNumber(id);
        if (n >= 0) {
            return addNumber(n);
        }
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        return add(b, 0, b.length);
    }

    /**
     * Returns the index of the id written in {@code bytes[from, to)} (UTF-8, already stripped), assigning the next
     * free index if it is new. No string is built.
     */
    public int add(byte[] bytes, int from, int to) {
        long n = canonicalNumber(bytes, from, to);
        if (n >= 0) {
            return addNumber(n);
        }
        int k = strings.addIfAbsent(bytes, from, to, size);
        if (k < 0) {
            return append(-1L - strings.count() + 1);
        }
        return k;
    }

    private int addNumber(long n) {
        int i = findNumber(n);
        if (i >= 0) {
            return i;
        }
        if (n < dense.length || (n < denseLimit() && growDense(n))) {
            dense[(int) n] = size + 1;
        } else {
            numeric.put(n, size);
        }
        return append(n);
    }

    /** The index of a numeric id: a small one by value in {@link #dense}, any other in the hash table. */
    private int findNumber(long n) {
        if (n < dense.length && dense[(int) n] != 0) {
            return dense[(int) n] - 1;
        }
        return numeric.isEmpty() ? -1 : numeric.get(n);
    }

    /** Values below this may go into {@link #dense}: it never takes more than 16 bytes per id (or 4 MB). */
    private long denseLimit() {
        return Math.min(Integer.MAX_VALUE - 16, Math.max(1 << 20, 4L * size));
    }

    private boolean growDense(long n) {
        long len = Math.min(denseLimit(), Math.max(n + 1, Math.max(1024, dense.length + (dense.length >> 1))));
        dense = Arrays.copyOf(dense, (int) len);
        return true;
    }

    private int append(long code) {
        if (size == byIndex.length) {
            byIndex = Arrays.copyOf(byIndex, size + (size >> 1));
        }
        byIndex[size] = code;
        return size++;
    }

    /** Returns the index of {@code id}, or -1 when it is unknown. */
    public int indexOf(String id) {
        long n = canonicalNumber(id);
        if (n >= 0) {
            return findNumber(n);
        }
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        return strings.find(b, 0, b.length);
    }

    /** Returns the external id of a dense index. */
    public String id(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (size - 1));
        }
        long code = byIndex[index];
        return code >= 0 ? Long.toString(code) : strings.string((int) (-1L - code));
    }

    public int size() {
        return size;
    }

    /** The external ids in index order: a read-only view, each string made when it is read. */
    public List<String> ids() {
        return new Ids();
    }

    private final class Ids extends AbstractList<String> implements RandomAccess {
        @Override
        public String get(int index) {
            return id(index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** An id map whose external ids are the decimal strings "0".."size-1" (datasets with dense ids already). */
    public static IdMap identity(int size) {
        IdMap map = new IdMap();
        for (int i = 0; i < size; i++) {
            map.addNumber(i);
        }
        return map;
    }

    /** The value of a canonical decimal id of at most 18 digits (its string is Long.toString of it), else -1. */
    private static long canonicalNumber(String s) {
        int len = s.length();
        if (len == 0 || len > 18 || (len > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long canonicalNumber(byte[] b, int from, int to) {
        int len = to - from;
        if (len == 0 || len > 18 || (len > 1 && b[from] == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * An open-addressing map from non-negative longs to non-negative ints (-1: absent), key and value side by side
     * in one array so that a lookup touches one cache line.
     */
    private static final class LongIntTable {
        /** slots[2s]: the key (-1: empty); slots[2s + 1]: the value. */
        private long[] slots = emptySlots(1024);
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        private static long[] emptySlots(int n) {
            long[] s = new long[2 * n];
            Arrays.fill(s, -1);
            return s;
        }

        int get(long key) {
            long[] s = slots;
            int mask = (s.length >> 1) - 1;
            for (int at = slot(key, mask); ; at = (at + 1) & mask) {
                long k = s[2 * at];
                if (k == key) {
                    return (int) s[2 * at + 1];
                }
                if (k == -1) {
                    return -1;
                }
            }
        }

        /** Adds a key that is absent. */
        void put(long key, int value) {
            if (3 * (size + 1) > slots.length) { // load factor 2/3
                grow();
            }
            insert(slots, key, value);
            size++;
        }

        private static void insert(long[] s, long key, long value) {
            int mask = (s.length >> 1) - 1;
            int at = slot(key, mask);
            while (s[2 * at] != -1) {
                at = (at + 1) & mask;
            }
            s[2 * at] = key;
            s[2 * at + 1] = value;
        }

        private void grow() {
            long[] old = slots;
            long[] s = emptySlots(old.length);
            for (int i = 0; i < old.length; i += 2) {
                if (old[i] != -1) {
                    insert(s, old[i], old[i + 1]);
                }
            }
            slots = s;
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 29) ^ (h >>> 47)) & mask;
        }
    }
}
