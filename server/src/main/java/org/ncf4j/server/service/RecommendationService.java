package org.ncf4j.server.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.data.IdMap;
import org.ncf4j.data.UserItems;
import org.ncf4j.server.compute.PairScores;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.RefCounted;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.repository.ModelRepository;

/**
 * Scoring and recommendation on the repository's models: validates requests, maps external ids to dense indices,
 * applies exclusions and the popularity fallback for unknown users, and runs the model. Every problem is a
 * {@link ServingException} whose message names it, quoting ids bounded ({@link Ids}). Each call holds a handle on
 * one model version from start to end, so one version answers it whole.
 */
public final class RecommendationService {
    /** Scores of a Score call and the model that computed them. */
    public record Scores(float[] scores, float[] logits, String model, long version) {
    }

    /**
     * The items of a Recommend call, best first, who answered, and how: the popularity fallback, or the model through
     * retrieval or exactly.
     */
    public record Recommendation(List<String> items, List<Float> scores, String model, long version,
                                 boolean popularityFallback, boolean retrieved) {
    }

    /** How a Recommend call asks the whole catalogue to be ranked. */
    public enum Ranking {
        /** The model's default ({@link Retrieval#byDefault}). */
        DEFAULT,
        /** Every item through the model. */
        EXACT,
        /** C candidates from the model's item index, re-ranked by the model. */
        RETRIEVAL
    }

    /**
     * What a Recommend call asks for (external ids); {@code retrieve} is retrieval's C for this call (0: the
     * model's).
     */
    public record Query(String user, int k, boolean includeSeen, List<String> candidates, List<String> exclude,
                        Ranking ranking, int retrieve) {
        /** With the model's default ranking. */
        public Query(String user, int k, boolean includeSeen, List<String> candidates, List<String> exclude) {
            this(user, k, includeSeen, candidates, exclude, Ranking.DEFAULT, 0);
        }
    }

    /** One request of a RecommendBatch call: the model it names and its query. */
    public record BatchItem(String model, long version, Query query) {
    }

    /**
     * The limits requests must keep.
     *
     * @param maxScorePairs the largest Score request
     * @param maxRecommendBatch the largest RecommendBatch request
     * @param popularityFallback whether unknown users get popular items (else NOT_FOUND)
     */
    public record Limits(int maxScorePairs, int maxRecommendBatch, boolean popularityFallback) {
    }

    private final ModelRepository repository;
    private final Limits limits;

    public RecommendationService(ModelRepository repository, Limits limits) {
        this.repository = repository;
        this.limits = limits;
    }

    /**
     * Scores (user, item) pairs. Validation failures are thrown at once; the scores come in the future, which may
     * already be complete (a call that found the model idle ran in this thread).
     */
    public CompletableFuture<Scores> score(String model, long version, List<String> users, List<String> items,
                                           long timeoutNanos) {
        checkPairs(users.size(), items.size());
        return withModel(model, version, m -> {
            Bundle b = m.bundle();
            long[] u = new long[users.size()];
            long[] it = new long[items.size()];
            for (int i = 0; i < u.length; i++) {
                u[i] = IdLookup.knownUser(b.users(), users.get(i), m, "at position " + i);
                it[i] = IdLookup.item(b.items(), items.get(i), "", "item", "at position " + i);
            }
            return m.score(u, it, timeoutNanos).thenApply(s -> new Scores(s.scores(), s.logits(), m.name(),
                    m.version()));
        });
    }

    /**
     * Like {@link #score}, for pairs named by the model's dense indices (as its users.txt and items.txt order
     * them) instead of external ids: an index out of range is INVALID_ARGUMENT.
     */
    public CompletableFuture<Scores> scoreIndices(String model, long version, long[] users, long[] items,
                                                  long timeoutNanos) {
        checkPairs(users.length, items.length);
        return withModel(model, version, m -> {
            IdLookup.indices(users, m.bundle().users().size(), "user", m);
            IdLookup.indices(items, m.bundle().items().size(), "item", m);
            return m.score(users, items, timeoutNanos).thenApply(s -> new Scores(s.scores(), s.logits(), m.name(),
                    m.version()));
        });
    }

    private void checkPairs(int users, int items) {
        if (users == 0) {
            throw ServingException.invalid("the batch is empty: give at least one (user, item) pair");
        }
        if (users != items) {
            throw ServingException.invalid("users and items differ in length (" + users + " and " + items + ")");
        }
        if (users > limits.maxScorePairs()) {
            throw ServingException.invalid("a batch of " + users + " pairs exceeds ncf.max-score-pairs ("
                    + limits.maxScorePairs() + ")");
        }
    }

    /** One user's recommendation; like {@link #score}, validation failures are thrown and the items come later. */
    public CompletableFuture<Recommendation> recommend(String model, long version, Query q, long timeoutNanos) {
        return withModel(model, version, m -> {
            Plan p = plan(m, q, "");
            return p.rank != null ? m.rank(p.rank, timeoutNanos).thenApply(r -> p.finish(m, r))
                    : CompletableFuture.completedFuture(p.answerNow(m));
        });
    }

    /**
     * Recommendations for many users, in order, all from one model version: the first request's model (a later
     * request that names another model is refused). Every request is checked before any runs; the users are
     * queued together so that they share model runs with each other and with concurrent calls
     * ({@link BulkRanking}). Validation failures and a refusal are thrown at once; the answers come in the future.
     * Requests with candidate lists are scored in this thread: keep those off the I/O threads.
     */
    public CompletableFuture<List<Recommendation>> recommendBatch(List<BatchItem> batch, long timeoutNanos) {
        if (batch.isEmpty()) {
            throw ServingException.invalid("the batch is empty: give at least one request");
        }
        if (batch.size() > limits.maxRecommendBatch()) {
            throw ServingException.invalid("a batch of " + batch.size() + " requests exceeds "
                    + "ncf.max-recommend-batch (" + limits.maxRecommendBatch() + "); split it");
        }
        BatchItem first = batch.get(0);
        return withModel(first.model(), first.version(), m -> {
            for (int i = 1; i < batch.size(); i++) {
                BatchItem b = batch.get(i);
                if (!b.model().isEmpty() && !b.model().equals(m.name()) || b.version() != 0
                        && b.version() != m.version()) {
                    throw ServingException.invalid("request " + i + " names model " + Ids.quote(b.model())
                            + (b.version() != 0 ? " version " + b.version() : "") + ", but one model answers a "
                            + "batch: the first request's (" + Ids.quote(m.name()) + " version " + m.version() + ")");
                }
            }
            List<Plan> plans = new ArrayList<>(batch.size());
            List<ServedModel.RankQuery> ranked = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Plan p = plan(m, batch.get(i).query(), "request " + i + ": ");
                plans.add(p);
                if (p.rank != null) {
                    ranked.add(p.rank);
                }
            }
            // the answers without a ranking run (fallbacks, candidate lists) in this thread, the others when ranked
            Recommendation[] out = new Recommendation[plans.size()];
            for (int i = 0; i < out.length; i++) {
                if (plans.get(i).rank == null) {
                    out[i] = plans.get(i).answerNow(m);
                }
            }
            return BulkRanking.rank(m, ranked, timeoutNanos).thenApply(results -> {
                int next = 0;
                for (int i = 0; i < out.length; i++) {
                    if (plans.get(i).rank != null) {
                        out[i] = plans.get(i).finish(m, results.get(next++));
                    }
                }
                return List.of(out);
            });
        });
    }

    /** What one Recommend query needs: a ranking run, or an answer without one (fallback, candidates). */
    private static final class Plan {
        final Query query;
        final int user;
        final long[] extra;
        final int[] candidates;
        final ServedModel.RankQuery rank;

        Plan(Query query, int user, long[] extra, int[] candidates, ServedModel.RankQuery rank) {
            this.query = query;
            this.user = user;
            this.extra = extra;
            this.candidates = candidates;
            this.rank = rank;
        }

        /** The ranked items without any excluded ones (the graph fills with them when too few items are left). */
        Recommendation finish(ServedModel m, ServedModel.Ranked r) {
            IdMap ids = m.bundle().items();
            boolean mayHoldExcluded = query.k() > ids.size() - rank.exclude().length;
            List<String> items = new ArrayList<>(query.k());
            List<Float> scores = new ArrayList<>(query.k());
            for (int j = 0; j < r.items().length; j++) {
                int item = (int) r.items()[j];
                if (!mayHoldExcluded || !excluded(m, item)) {
                    items.add(ids.id(item));
                    scores.add(r.scores()[j]);
                }
            }
            return new Recommendation(items, scores, m.name(), m.version(), false, rank.retrieve() > 0);
        }

        boolean excluded(ServedModel m, int item) {
            if (Arrays.binarySearch(extra, item) >= 0) {
                return true;
            }
            return !query.includeSeen() && user >= 0 && m.bundle().seen().contains(user, item);
        }

        /** The answer of a query that needs no ranking run: the popularity fallback, or a candidate list. */
        Recommendation answerNow(ServedModel m) {
            return user < 0 ? popular(m, this) : rankCandidates(m, this);
        }
    }

    private Plan plan(ServedModel m, Query q, String prefix) {
        Bundle b = m.bundle();
        int numItems = b.items().size();
        if (q.user().isEmpty()) {
            throw ServingException.invalid(prefix + "the user id is empty");
        }
        if (q.k() < 1 || q.k() > numItems) {
            throw ServingException.invalid(prefix + "k must be between 1 and the number of items (" + numItems
                    + "), got " + q.k());
        }
        int retrieve = RetrievalChoice.candidates(m, q, prefix);
        long[] extra = new long[q.exclude().size()];
        for (int i = 0; i < extra.length; i++) {
            extra[i] = IdLookup.item(b.items(), q.exclude().get(i), prefix, "excluded item", "");
        }
        Arrays.sort(extra);
        int[] candidates = null;
        if (!q.candidates().isEmpty()) {
            candidates = new int[q.candidates().size()];
            for (int i = 0; i < candidates.length; i++) {
                candidates[i] = IdLookup.item(b.items(), q.candidates().get(i), prefix, "candidate item",
                        "at position " + i);
            }
        }
        int user = b.users().indexOf(q.user());
        if (user < 0) {
            if (!limits.popularityFallback()) {
                throw ServingException.notFound(prefix + "unknown user " + Ids.quote(q.user()) + " (the popularity "
                        + "fallback is off)");
            }
            return new Plan(q, -1, extra, candidates, null);
        }
        if (candidates != null) {
            return new Plan(q, user, extra, candidates, null);
        }
        long[] exclude = extra;
        if (!q.includeSeen()) {
            UserItems seen = b.seen();
            int from = seen.offsets()[user];
            int n = seen.offsets()[user + 1] - from;
            exclude = Arrays.copyOf(extra, extra.length + n);
            int[] flat = seen.flatItems();
            for (int j = 0; j < n; j++) {
                exclude[extra.length + j] = flat[from + j];
            }
        }
        return new Plan(q, user, extra, null, new ServedModel.RankQuery(user, exclude, q.k(), retrieve));
    }

    /** Runs {@code call} holding a handle on the named model; the handle is released when the future completes. */
    private <T> CompletableFuture<T> withModel(String model, long version,
                                               java.util.function.Function<ServedModel, CompletableFuture<T>> call) {
        RefCounted<ServedModel>.Handle h = repository.acquire(model, version);
        CompletableFuture<T> result;
        try {
            result = call.apply(h.get());
        } catch (Throwable e) {
            h.close();
            throw e;
        }
        return result.whenComplete((r, e) -> h.close());
    }

    /**
     * The candidates ranked by logit (ties by item index), seen and excluded ones left out; scored at once in this
     * thread, which the endpoint keeps off the I/O threads for such requests.
     */
    private static Recommendation rankCandidates(ServedModel m, Plan p) {
        int[] kept = Arrays.stream(p.candidates).distinct().filter(i -> !p.excluded(m, i)).sorted().toArray();
        if (kept.length == 0) {
            return new Recommendation(List.of(), List.of(), m.name(), m.version(), false, false);
        }
        long[] users = new long[kept.length];
        Arrays.fill(users, p.user);
        long[] items = Arrays.stream(kept).asLongStream().toArray();
        PairScores s = m.scoreNow(users, items);
        Integer[] order = new Integer[kept.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // kept is sorted, so equal logits keep item order
        Arrays.sort(order, (a, b) -> Float.compare(s.logits()[b], s.logits()[a]));
        List<String> out = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        float last = Float.POSITIVE_INFINITY;
        for (int j = 0; j < Math.min(p.query.k(), order.length); j++) {
            out.add(m.bundle().items().id(kept[order[j]]));
            last = Math.min(last, s.scores()[order[j]]);
            scores.add(last);
        }
        return new Recommendation(out, scores, m.name(), m.version(), false, false);
    }

    /**
     * The most popular items for a user the model never saw, excluded ones left out. The score of an item is the
     * share of training users who interacted with it: the probability that a user drawn at random did.
     */
    private static Recommendation popular(ServedModel m, Plan p) {
        int[] pop = m.bundle().popularity();
        float users = m.bundle().users().size();
        java.util.BitSet allowed = null;
        if (p.candidates != null) {
            allowed = new java.util.BitSet();
            for (int c : p.candidates) {
                allowed.set(c);
            }
        }
        List<String> items = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int item : m.byPopularity()) {
            if (items.size() == p.query.k()) {
                break;
            }
            if (Arrays.binarySearch(p.extra, item) < 0 && (allowed == null || allowed.get(item))) {
                items.add(m.bundle().items().id(item));
                scores.add(Math.min(1f, pop[item] / users));
            }
        }
        return new Recommendation(items, scores, m.name(), m.version(), true, false);
    }
}
