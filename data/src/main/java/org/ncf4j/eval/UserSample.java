package org.ncf4j.eval;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The seeded sample of users an evaluation ranks when there are too many to rank them all: the {@code m} users whose
 * key, a hash of their external id and the seed, is smallest. It depends on the users' ids and the seed only, not
 * on their order, on chunks or threads, so the trainer and {@code ncf evaluate} pick the same users from the same
 * held-out items; and a smaller sample lies within a larger one (the full ranking's users are among those of the
 * sampled protocol).
 */
public final class UserSample {
    /** Above this many held-out users, the per-epoch (sampled) evaluation ranks this many by default. */
    public static final int DEFAULT_USERS = 100_000;
    /** The same for the full ranking, which scores every item per user. */
    public static final int DEFAULT_FULL_RANKING_USERS = 10_000;

    private UserSample() {
    }

    /** The key of an external user id under a seed: the sample is the users of the smallest keys. */
    public static long key(String userId, long seed) {
        byte[] b = userId.getBytes(StandardCharsets.UTF_8);
        long h = 0xCBF29CE484222325L; // FNV-1a
        for (byte x : b) {
            h = (h ^ (x & 0xFF)) * 0x100000001B3L;
        }
        return mix(h ^ mix(seed + 0x9E3779B97F4A7C15L));
    }

    /**
     * The rows to rank: the positions (ascending) of the {@code size} smallest keys, ties taken in row order; every
     * row when {@code size} is 0 (all users) or at least the number of rows.
     */
    public static int[] choose(long[] keys, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("a sample of users must be >= 0 (0: all), got " + size);
        }
        int n = keys.length;
        if (size == 0 || size >= n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        long threshold = sorted[size - 1];
        int below = 0;
        for (int k = 0; k < size && sorted[k] < threshold; k++) {
            below++;
        }
        int atThreshold = size - below;
        int[] out = new int[size];
        int m = 0;
        for (int i = 0; i < n && m < size; i++) {
            if (keys[i] < threshold || (keys[i] == threshold && atThreshold-- > 0)) {
                out[m++] = i;
            }
        }
        return out;
    }

    /** Whether a sample of {@code size} (0: all) leaves users out of {@code of}. */
    public static boolean samples(int size, int of) {
        return size > 0 && size < of;
    }

    /** "all 6,040 users" or "100,000 of 9,999,998 users (seeded sample)", for logs and reports. */
    public static String describe(int ranked, int of) {
        return ranked == of ? String.format("all %,d users", of)
                : String.format("%,d of %,d users (seeded sample)", ranked, of);
    }

    private static long mix(long z) { // murmur3's 64-bit finaliser
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
