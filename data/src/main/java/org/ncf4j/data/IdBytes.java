package org.ncf4j.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The non-numeric ids of an {@link IdMap}: their UTF-8 bytes one after the other in one array, found by hash in an
 * open-addressing table of string numbers, each mapped to its dense index. No object per id.
 */
final class IdBytes {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private byte[] arena = new byte[1 << 12];
    private int used;
    /** starts[k]: where the k-th string begins; it ends where the next begins, or at {@link #used}. */
    private int[] starts = new int[256];
    /** The dense index of the k-th string. */
    private int[] indices = new int[256];
    private int count;
    /** Per slot: 1 + the string number, 0 when empty. */
    private int[] table = new int[512];
    /** Per slot: the hash of its string, compared before the bytes. */
    private int[] hashes = new int[512];

    int count() {
        return count;
    }

    /** The index of the id in {@code b[from, to)}; -1 when unknown. */
    int find(byte[] b, int from, int to) {
        int h = hash(b, from, to);
        int mask = table.length - 1;
        for (int at = h & mask; ; at = (at + 1) & mask) {
            int t = table[at];
            if (t == 0) {
                return -1;
            }
            if (hashes[at] == h && equal(t - 1, b, from, to)) {
                return indices[t - 1];
            }
        }
    }

    /** The index of the id in {@code b[from, to)} if known; else adds it with {@code index} and returns -1. */
    int addIfAbsent(byte[] b, int from, int to, int index) {
        int h = hash(b, from, to);
        int mask = table.length - 1;
        int at = h & mask;
        for (; table[at] != 0; at = (at + 1) & mask) {
            if (hashes[at] == h && equal(table[at] - 1, b, from, to)) {
                return indices[table[at] - 1];
            }
        }
        int len = to - from;
        if (used + (long) len > MAX_ARRAY) {
            throw new DataException("the non-numeric ids take more than 2 GB");
        }
        if (used + len > arena.length) {
            arena = Arrays.copyOf(arena, (int) Math.min(MAX_ARRAY, Math.max(used + len, arena.length * 3L / 2)));
        }
        System.arraycopy(b, from, arena, used, len);
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count + (count >> 1));
            indices = Arrays.copyOf(indices, starts.length);
        }
        starts[count] = used;
        indices[count] = index;
        used += len;
        table[at] = ++count;
        hashes[at] = h;
        if (2 * count > table.length) {
            rehash();
        }
        return -1;
    }

    /** The k-th string. */
    String string(int k) {
        int end = k + 1 < count ? starts[k + 1] : used;
        return new String(arena, starts[k], end - starts[k], StandardCharsets.UTF_8);
    }

    private boolean equal(int k, byte[] b, int from, int to) {
        int s = starts[k];
        int end = k + 1 < count ? starts[k + 1] : used;
        return Arrays.equals(arena, s, end, b, from, to);
    }

    private void rehash() {
        int[] t = new int[table.length * 2];
        int[] hs = new int[t.length];
        int mask = t.length - 1;
        for (int i = 0; i < table.length; i++) {
            if (table[i] != 0) {
                int at = hashes[i] & mask;
                while (t[at] != 0) {
                    at = (at + 1) & mask;
                }
                t[at] = table[i];
                hs[at] = hashes[i];
            }
        }
        table = t;
        hashes = hs;
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        h ^= h >>> 16; // murmur3's finaliser: the low bits pick the slot
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
