package org.ncf4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps external ids (strings such as {@code "1193"} or {@code "84707B"}) to dense indices 0..size-1 in order of
 * first appearance, and back.
 */
public final class IdMap {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> ids = new ArrayList<>();
    /** Ids that are canonical decimal numbers ("0", "42", not "042" or "+1"), by value: no string per lookup. */
    private final LongIntTable numeric = new LongIntTable();

    /** Returns the index of {@code id}, assigning the next free index if it is new. */
    public int add(String id) {
        long n = canonicalNumber(id);
        if (n >= 0) {
            return addNumber(n, id);
        }
        Integer i = index.get(id);
        if (i != null) {
            return i;
        }
        int next = ids.size();
        index.put(id, next);
        ids.add(id);
        return next;
    }

    /**
     * Returns the index of the id written in {@code bytes[from, to)} (UTF-8, already stripped), assigning the next
     * free index if it is new. Numeric ids are looked up without building a string.
     */
    public int add(byte[] bytes, int from, int to) {
        long n = canonicalNumber(bytes, from, to);
        if (n >= 0) {
            return addNumber(n, null);
        }
        return add(new String(bytes, from, to - from, java.nio.charset.StandardCharsets.UTF_8));
    }

    private int addNumber(long n, String id) {
        int i = numeric.get(n);
        if (i >= 0) {
            return i;
        }
        int next = ids.size();
        numeric.put(n, next);
        ids.add(id != null ? id : Long.toString(n));
        return next;
    }

    /** Returns the index of {@code id}, or -1 when it is unknown. */
    public int indexOf(String id) {
        long n = canonicalNumber(id);
        if (n >= 0) {
            return numeric.get(n);
        }
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    /** Returns the external id of a dense index. */
    public String id(int index) {
        return ids.get(index);
    }

    public int size() {
        return ids.size();
    }

    /** The external ids in index order. */
    public List<String> ids() {
        return Collections.unmodifiableList(ids);
    }

    /** An id map whose external ids are the decimal strings "0".."size-1" (datasets with dense ids already). */
    public static IdMap identity(int size) {
        IdMap map = new IdMap();
        for (int i = 0; i < size; i++) {
            map.add(Integer.toString(i));
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

    /** An open-addressing map from non-negative longs to non-negative ints (-1: absent). */
    private static final class LongIntTable {
        private long[] keys = new long[1024];
        private int[] values = new int[1024];
        private int size;

        LongIntTable() {
            java.util.Arrays.fill(keys, -1);
        }

        int get(long key) {
            int mask = keys.length - 1;
            for (int at = slot(key, mask); ; at = (at + 1) & mask) {
                if (keys[at] == key) {
                    return values[at];
                }
                if (keys[at] == -1) {
                    return -1;
                }
            }
        }

        void put(long key, int value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int at = slot(key, mask);
            while (keys[at] != -1 && keys[at] != key) {
                at = (at + 1) & mask;
            }
            if (keys[at] == -1) {
                size++;
            }
            keys[at] = key;
            values[at] = value;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            java.util.Arrays.fill(keys, -1);
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != -1) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 32) & mask;
        }
    }
}
