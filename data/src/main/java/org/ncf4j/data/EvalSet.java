package org.ncf4j.data;

import java.util.SplittableRandom;
import org.ncf4j.eval.UserSample;

/**
 * Held-out items for evaluation, one per evaluated user, each with its negatives (99 in the NCF protocol): user
 * {@code users()[i]} held out {@code positives()[i]}, to be ranked against {@code negatives(i)}.
 *
 * <p>The negatives are either given (the NCF paper's files) or drawn when asked for, from a seed and the user
 * alone ({@link #drawn}): the same every time and whatever order or thread asks, and never held for every user at
 * once, so a set of 10^7 users costs its two int arrays.
 */
public final class EvalSet {
    private final int[] users;
    private final int[] positives;
    /** The given negatives, or null when drawn. */
    private final int[][] given;
    private final UserItems exclude;
    private final int perUser;
    private final long seed;

    /** A set whose negatives are given, row by row. */
    public EvalSet(int[] users, int[] positives, int[][] negatives) {
        this(users, positives, negatives, null, 0, 0);
        if (users.length != negatives.length) {
            throw new IllegalArgumentException("users, positives and negatives differ in length");
        }
    }

    private EvalSet(int[] users, int[] positives, int[][] given, UserItems exclude, int perUser, long seed) {
        if (users.length != positives.length) {
            throw new IllegalArgumentException("users, positives and negatives differ in length");
        }
        this.users = users;
        this.positives = positives;
        this.given = given;
        this.exclude = exclude;
        this.perUser = perUser;
        this.seed = seed;
    }

    /**
     * A set whose row {@code i} is ranked against {@code perUser} distinct items that {@code users[i]} never
     * interacted with ({@code exclude}'s row; all of them when fewer exist), drawn with a generator seeded by
     * {@code seed} and the user ({@link EvalNegatives#sample(UserItems, int, int, long)}).
     */
    public static EvalSet drawn(int[] users, int[] positives, UserItems exclude, int perUser, long seed) {
        if (perUser < 1) {
            throw new IllegalArgumentException("negatives per held-out item must be >= 1, got " + perUser);
        }
        return new EvalSet(users, positives, null, exclude, perUser, seed);
    }

    /** The evaluated users; shared, not copied: do not modify. */
    public int[] users() {
        return users;
    }

    /** Their held-out items; shared, not copied: do not modify. */
    public int[] positives() {
        return positives;
    }

    /** The negatives of row {@code i}, sorted when drawn; the same array content every time. */
    public int[] negatives(int i) {
        return given != null ? given[i] : EvalNegatives.sample(exclude, users[i], perUser, seed);
    }

    /** How many negatives row {@code i} has, without drawing them. */
    public int negativeCount(int i) {
        return given != null ? given[i].length
                : Math.min(perUser, exclude.numItems() - exclude.count(users[i]));
    }

    public int size() {
        return users.length;
    }

    /** Total number of candidates (positives plus negatives) to score. */
    public long candidates() {
        long n = 0;
        for (int i = 0; i < users.length; i++) {
            n += 1 + negativeCount(i);
        }
        return n;
    }

    /** The rows {@code rows} (ascending positions) of this set, with the same negatives each. */
    public EvalSet rows(int[] rows) {
        int[] u = new int[rows.length];
        int[] p = new int[rows.length];
        int[][] g = given == null ? null : new int[rows.length][];
        for (int k = 0; k < rows.length; k++) {
            u[k] = users[rows[k]];
            p[k] = positives[rows[k]];
            if (g != null) {
                g[k] = given[rows[k]];
            }
        }
        return new EvalSet(u, p, g, exclude, perUser, seed);
    }

    /**
     * The seeded sample of {@code size} users ({@link UserSample}; 0, or a size of at least {@link #size()}: this
     * set itself), keyed by the users' external ids in {@code ids}.
     */
    public EvalSet sample(IdMap ids, int size, long seed) {
        if (!UserSample.samples(size, users.length)) {
            return this;
        }
        long[] keys = new long[users.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = UserSample.key(ids.id(users[i]), seed);
        }
        return rows(UserSample.choose(keys, size));
    }

    @Override
    public String toString() {
        return String.format("EvalSet(%,d users, %s)", users.length, given != null ? "given negatives"
                : perUser + " drawn negatives each, seed " + seed);
    }

    /** A generator for {@code user}'s draws under {@code seed}: independent streams per user. */
    static SplittableRandom random(long seed, int user) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + user);
    }

    /** For tests: every row's negatives at once (draws them all for a drawn set). */
    int[][] allNegatives() {
        int[][] out = new int[users.length][];
        for (int i = 0; i < users.length; i++) {
            out[i] = negatives(i);
        }
        return out;
    }
}
