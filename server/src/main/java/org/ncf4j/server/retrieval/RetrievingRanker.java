package org.ncf4j.server.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.util.Bits;
import org.ncf4j.server.compute.CandidateScorer;
import org.ncf4j.server.compute.Ranker;
import org.ncf4j.server.compute.Rankings;
import org.ncf4j.server.kernel.InnerProductPart;
import org.ncf4j.server.kernel.TopK;

/**
 * Ranking through retrieval: for each user, C candidates by inner product from the {@link ItemIndex} (excluded
 * items left out inside the search), then the exact model on those candidates ({@link PairScorer}), and the k best
 * by logit. The index's vectors are GMF's item side, {@code h_G * q_i}, and the query the user's GMF row: the GMF
 * part of NeuMF's logit. With {@linkplain #build an item term}, each vector carries one more value, an estimate of
 * the rest of the item's logit (the MLP part and the bias, averaged over a sample of users), and each query a 1,
 * so that items the MLP part favours for everyone are not left out by an inner product that does not see it.
 * Thread-safe.
 */
public final class RetrievingRanker {
    /**
     * Users whose logits estimate the item term: each costs one ranking of the whole catalogue at load (a third of a
     * second at a million items), and the estimate is an average, which more users refine little.
     */
    static final int TERM_USERS = 32;

    private final InnerProductPart part;
    private final ItemIndex index;
    private final CandidateScorer exact;
    private final Ranker whole;
    private final boolean itemTerm;
    private final long termNanos;

    private RetrievingRanker(InnerProductPart part, ItemIndex index, CandidateScorer exact, Ranker whole,
                             boolean itemTerm, long termNanos) {
        this.part = part;
        this.index = index;
        this.exact = exact;
        this.whole = whole;
        this.itemTerm = itemTerm;
        this.termNanos = termNanos;
    }

    /**
     * Builds the index over the model's items, with every core (the version is not serving yet; the versions that
     * are keep serving, slower meanwhile).
     *
     * @param exact the model's exact logits: what re-ranks the candidates, and estimates the item term
     * @param whole the exact ranking of the whole catalogue, for a user whose search finds fewer than k items
     * @param itemTerm whether the vectors carry the estimated rest of each item's logit
     */
    public static RetrievingRanker build(InnerProductPart part, CandidateScorer exact, Ranker whole,
                                         ItemIndex.Params params, boolean itemTerm) {
        int f = part.factor();
        long t0 = System.nanoTime();
        float[] term = itemTerm ? itemTerm(part, exact) : null;
        long termNanos = System.nanoTime() - t0;
        float[][] all = part.items(itemTerm ? 1 : 0);
        if (itemTerm) {
            for (int i = 0; i < all.length; i++) {
                all[i][f] = term[i];
            }
        }
        List<float[]> vectors = java.util.Arrays.asList(all);
        return new RetrievingRanker(part, ItemIndex.build(vectors, params, Runtime.getRuntime().availableProcessors()),
                exact, whole, itemTerm, termNanos);
    }

    /**
     * Each item's logit less its GMF part, averaged over {@link #TERM_USERS} users drawn with a fixed seed: what the
     * MLP part and the bias add for a typical user.
     */
    static float[] itemTerm(InnerProductPart part, CandidateScorer exact) {
        int items = part.items();
        int n = Math.min(TERM_USERS, part.users());
        int[] users = new SplittableRandom(7).ints(0, part.users()).distinct().limit(n).toArray();
        double[] sum = new double[items];
        for (int user : users) {
            float[] logits = exact.all(user);
            float[] gmf = part.logits(user);
            for (int i = 0; i < items; i++) {
                sum[i] += logits[i] - gmf[i];
            }
        }
        float[] term = new float[items];
        for (int i = 0; i < items; i++) {
            term[i] = (float) (sum[i] / n);
        }
        return term;
    }

    public ItemIndex index() {
        return index;
    }

    /** Whether the index's vectors carry the estimated item term. */
    public boolean itemTerm() {
        return itemTerm;
    }

    /** How long estimating the item term took at build (0 without). */
    public long termNanos() {
        return termNanos;
    }

    /** The index's library, settings and vectors, for logs and model info. */
    public String describe() {
        return index.describe() + ", vectors GMF's item side" + (itemTerm ? " and an item term" : "") + " ("
                + index.dimension() + " dimensions)";
    }

    /**
     * The k best items of each user among its C best by inner product ({@code candidates[row]}, at least k),
     * leaving out {@code exclude}: the {@link Ranker} contract, rows of (position in {@code users}, item) ordered by
     * row. A user whose search finds fewer than k items is ranked over the whole catalogue instead.
     */
    public Rankings rank(long[] users, long[] exclude, int k, int[] candidates) {
        int b = users.length;
        long[][] outItems = new long[b][];
        float[][] outScores = new float[b][];
        float[] query = new float[index.dimension()];
        List<Integer> tooFew = new ArrayList<>();
        int e = 0;
        for (int row = 0; row < b; row++) {
            int from = e;
            while (e < exclude.length && exclude[e] == row) {
                e += 2;
            }
            int[] left = excluded(exclude, from, e);
            int user = Math.toIntExact(users[row]);
            part.user(user, query);
            if (itemTerm) {
                query[part.factor()] = 1f;
            }
            int[] found = index.search(query, Math.max(k, candidates[row]), left.length == 0 ? null
                    : new Except(left, part.items()));
            if (found.length < k) {
                tooFew.add(row);
                continue;
            }
            Arrays.sort(found); // equal logits rank by the lower item index, as the whole-catalogue ranking does
            float[] logits = exact.logits(user, found);
            int[] top = TopK.best(logits, k);
            outItems[row] = new long[k];
            outScores[row] = new float[k];
            for (int j = 0; j < k; j++) {
                outItems[row][j] = found[top[j]];
                outScores[row][j] = sigmoid(logits[top[j]]);
            }
        }
        if (!tooFew.isEmpty()) {
            wholeCatalogue(users, exclude, k, tooFew, outItems, outScores);
        }
        return new Rankings(outItems, outScores);
    }

    /** Ranks the rows {@code rows} over the whole catalogue, into the outputs. */
    private void wholeCatalogue(long[] users, long[] exclude, int k, List<Integer> rows, long[][] outItems,
                                float[][] outScores) {
        long[] sub = new long[rows.size()];
        List<Long> pairs = new ArrayList<>();
        for (int r = 0; r < sub.length; r++) {
            int row = rows.get(r);
            sub[r] = users[row];
            for (int e = 0; e + 1 < exclude.length; e += 2) {
                if (exclude[e] == row) {
                    pairs.add((long) r);
                    pairs.add(exclude[e + 1]);
                }
            }
        }
        Rankings r = whole.rank(sub, pairs.stream().mapToLong(Long::longValue).toArray(), k);
        for (int i = 0; i < sub.length; i++) {
            outItems[rows.get(i)] = r.items()[i];
            outScores[rows.get(i)] = r.scores()[i];
        }
    }

    private static float sigmoid(float logit) {
        return (float) (1.0 / (1.0 + Math.exp(-logit)));
    }

    /** The items of exclusion pairs [from, to), sorted. */
    private static int[] excluded(long[] exclude, int from, int to) {
        int[] items = new int[(to - from) / 2];
        for (int i = 0; i < items.length; i++) {
            items[i] = Math.toIntExact(exclude[from + 2 * i + 1]);
        }
        Arrays.sort(items);
        return items;
    }

    /** Every item but the sorted {@code excluded}. */
    private record Except(int[] excluded, int length) implements Bits {
        @Override
        public boolean get(int index) {
            return Arrays.binarySearch(excluded, index) < 0;
        }
    }
}
