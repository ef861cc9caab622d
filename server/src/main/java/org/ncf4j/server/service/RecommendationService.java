package org.ncf4j.server.service;

import ai.onnxruntime.OrtException;
import io.grpc.Status;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.data.IdMap;
import org.ncf4j.server.ServingConfig;
import org.ncf4j.server.inference.OnnxModel;
import org.ncf4j.server.repository.ModelRepository;

/**
 * Scoring and recommendation on the repository's models: maps external ids to dense indices, validates requests
 * (each problem is a {@link ServingException} with its gRPC status), applies exclusions and the popularity
 * fallback for unknown users, and runs the model.
 */
@Singleton
public class RecommendationService {
    /** Scores of a Score call and the model that computed them. */
    public record Scores(float[] scores, String model, long version) {
    }

    /** The items of a Recommend call, best first, and who answered. */
    public record Recommendation(List<String> items, List<Float> scores, String model, long version,
                                 boolean popularityFallback) {
    }

    /** What a Recommend call asks for (external ids). */
    public record Query(String user, int k, boolean includeSeen, List<String> candidates, List<String> exclude) {
    }

    private final ModelRepository repository;
    private final ServingConfig config;

    public RecommendationService(ModelRepository repository, ServingConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /**
     * Scores (user, item) pairs. Validation failures are thrown at once; the scores come in the future, which
     * may already be complete (a call that found the model idle ran in this thread).
     */
    public CompletableFuture<Scores> score(String model, long version, List<String> users, List<String> items) {
        if (users.isEmpty()) {
            throw invalid("the batch is empty: give at least one (user, item) pair");
        }
        if (users.size() != items.size()) {
            throw invalid("users and items differ in length (" + users.size() + " and " + items.size() + ")");
        }
        if (users.size() > config.getMaxScorePairs()) {
            throw invalid("a batch of " + users.size() + " pairs exceeds ncf.max-score-pairs ("
                    + config.getMaxScorePairs() + ")");
        }
        return withLease(model, version, m -> {
            Bundle b = m.bundle();
            long[] u = new long[users.size()];
            long[] it = new long[items.size()];
            for (int i = 0; i < u.length; i++) {
                u[i] = user(b.users(), users.get(i), m, i);
                it[i] = item(b.items(), items.get(i), "item", i);
            }
            return m.scoreBatched(u, it, Deadlines.remainingNanos()).thenApply(s -> new Scores(s, m.name(),
                    m.version()));
        });
    }

    /** One user's recommendation; like {@link #score}, failures to validate are thrown and the items come later. */
    public CompletableFuture<Recommendation> recommend(String model, long version, Query q) {
        return withLease(model, version, m -> {
            Bundle b = m.bundle();
            int numItems = b.items().size();
            if (q.k() < 1 || q.k() > numItems) {
                throw invalid("k must be between 1 and the number of items (" + numItems + "), got " + q.k());
            }
            BitSet excluded = new BitSet(numItems);
            for (String id : q.exclude()) {
                excluded.set(item(b.items(), id, "excluded item", -1));
            }
            int[] candidates = null;
            if (!q.candidates().isEmpty()) {
                candidates = new int[q.candidates().size()];
                for (int i = 0; i < candidates.length; i++) {
                    candidates[i] = item(b.items(), q.candidates().get(i), "candidate item", i);
                }
            }
            int user = b.users().indexOf(q.user());
            if (user < 0) {
                if (!config.isPopularityFallback()) {
                    throw new ServingException(Status.Code.NOT_FOUND, "unknown user '" + q.user() + "' (the "
                            + "popularity fallback is off)");
                }
                return CompletableFuture.completedFuture(popular(m, q.k(), excluded, candidates));
            }
            if (!q.includeSeen()) {
                for (int seen : b.seen().items(user)) {
                    excluded.set(seen);
                }
            }
            return candidates != null
                    ? CompletableFuture.completedFuture(rankCandidates(m, user, q.k(), excluded, candidates))
                    : rankCatalogue(m, user, q.k(), excluded);
        });
    }

    /**
     * Recommendations for many users, in order. They are ranked in chunks of at most {@code ncf.max-batch-size}
     * users, so that a bulk call shares model runs without flooding the batching queue. Blocks: call it off the
     * I/O threads.
     */
    public List<Recommendation> recommendAll(String model, long version, List<Query> queries) {
        int chunk = Math.max(1, Math.min(config.getMaxBatchSize(), config.getMaxQueueSize()));
        List<Recommendation> out = new ArrayList<>(queries.size());
        for (int from = 0; from < queries.size(); from += chunk) {
            List<CompletableFuture<Recommendation>> part = new ArrayList<>();
            for (Query q : queries.subList(from, Math.min(queries.size(), from + chunk))) {
                part.add(recommend(model, version, q));
            }
            part.forEach(f -> out.add(f.join()));
        }
        return out;
    }

    /** Runs {@code call} on a leased model, releasing the lease once the future completes (or the call throws). */
    private <T> CompletableFuture<T> withLease(String model, long version,
                                               Function<OnnxModel, CompletableFuture<T>> call) {
        ModelRepository.Lease lease = repository.acquire(model, version);
        CompletableFuture<T> result;
        try {
            result = call.apply(lease.model());
        } catch (Throwable e) {
            lease.close();
            throw e;
        }
        return result.whenComplete((r, e) -> lease.close());
    }

    private CompletableFuture<Recommendation> rankCatalogue(OnnxModel m, int user, int k, BitSet excluded) {
        long[] exclude = excluded.stream().asLongStream().toArray();
        return m.rankBatched(user, exclude, k, Deadlines.remainingNanos()).thenApply(ranked -> recommendation(m,
                k, excluded, ranked));
    }

    private static Recommendation recommendation(OnnxModel m, int k, BitSet excluded, OnnxModel.Ranked ranked) {
        List<String> items = new ArrayList<>(k);
        List<Float> scores = new ArrayList<>(k);
        for (int j = 0; j < ranked.items().length; j++) {
            int item = (int) ranked.items()[j];
            if (!excluded.get(item)) {
                items.add(m.bundle().items().id(item));
                scores.add(ranked.scores()[j]);
            }
        }
        return new Recommendation(items, scores, m.name(), m.version(), false);
    }

    private Recommendation rankCandidates(OnnxModel m, int user, int k, BitSet excluded, int[] candidates) {
        int[] kept = Arrays.stream(candidates).distinct().filter(i -> !excluded.get(i)).toArray();
        if (kept.length == 0) {
            return new Recommendation(List.of(), List.of(), m.name(), m.version(), false);
        }
        long[] users = new long[kept.length];
        Arrays.fill(users, user);
        long[] items = Arrays.stream(kept).asLongStream().toArray();
        float[] s = run(() -> m.score(users, items));
        Integer[] order = new Integer[kept.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a]));
        List<String> out = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int j = 0; j < Math.min(k, order.length); j++) {
            out.add(m.bundle().items().id(kept[order[j]]));
            scores.add(s[order[j]]);
        }
        return new Recommendation(out, scores, m.name(), m.version(), false);
    }

    /** The most popular items (score: share of the most popular item's count), for users the model never saw. */
    private Recommendation popular(OnnxModel m, int k, BitSet excluded, int[] candidates) {
        int[] pop = m.bundle().popularity();
        BitSet allowed = null;
        if (candidates != null) {
            allowed = new BitSet();
            for (int c : candidates) {
                allowed.set(c);
            }
        }
        float top = Math.max(1, pop[m.byPopularity()[0]]);
        List<String> items = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int item : m.byPopularity()) {
            if (items.size() == k) {
                break;
            }
            if (!excluded.get(item) && (allowed == null || allowed.get(item))) {
                items.add(m.bundle().items().id(item));
                scores.add(pop[item] / top);
            }
        }
        return new Recommendation(items, scores, m.name(), m.version(), true);
    }

    private int user(IdMap users, String id, OnnxModel m, int position) {
        int u = users.indexOf(id);
        if (u < 0) {
            throw new ServingException(Status.Code.NOT_FOUND, "unknown user '" + id + "' at position " + position
                    + " (model " + m.name() + " version " + m.version() + " has " + users.size() + " users)");
        }
        return u;
    }

    private static int item(IdMap items, String id, String what, int position) {
        int i = items.indexOf(id);
        if (i < 0) {
            throw invalid("unknown " + what + " '" + id + "'" + (position >= 0 ? " at position " + position : ""));
        }
        return i;
    }

    private static ServingException invalid(String message) {
        return new ServingException(Status.Code.INVALID_ARGUMENT, message);
    }

    /** ONNX Runtime call that cannot fail for a validated request; a failure is the server's (INTERNAL). */
    @FunctionalInterface
    private interface OrtCall<T> {
        T call() throws OrtException;
    }

    private static <T> T run(OrtCall<T> call) {
        try {
            return call.call();
        } catch (OrtException e) {
            throw new ServingException(Status.Code.INTERNAL, "inference failed: " + e.getMessage());
        }
    }
}
