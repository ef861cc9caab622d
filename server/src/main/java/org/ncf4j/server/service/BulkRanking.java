package org.ncf4j.server.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.ncf4j.server.batching.Bulk;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.ServedModel;

/**
 * Ranks a bulk call's users (RecommendBatch, a top-k ModelInfer of many users) without holding a thread while they
 * wait: admits them as one call, or refuses them all before any is queued (OVERLOADED, thrown); then queues at most
 * a few runs' worth at a time, the next part once the last is ranked, so that a bulk call never floods the queue. A
 * part that fails (its deadline passed) fails the call at once: the parts not yet run are dropped, and none is
 * queued after it.
 */
final class BulkRanking {
    private final List<ServedModel.RankQuery> queries;
    private final Bulk<ServedModel.RankQuery, ServedModel.Ranked> bulk;
    private final int chunk;
    private final long deadline;
    private final List<ServedModel.Ranked> out;
    private final CompletableFuture<List<ServedModel.Ranked>> done = new CompletableFuture<>();

    private BulkRanking(ServedModel model, List<ServedModel.RankQuery> queries, long timeoutNanos) {
        this.queries = queries;
        this.chunk = Math.max(1, model.rankChunk() * 8);
        this.deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        this.out = new ArrayList<>(queries.size());
        this.bulk = model.admitRanking(queries, timeoutNanos);
    }

    /** The rankings of {@code queries}, in order; throws OVERLOADED at once when they are not admitted. */
    static CompletableFuture<List<ServedModel.Ranked>> rank(ServedModel model, List<ServedModel.RankQuery> queries,
                                                           long timeoutNanos) {
        if (queries.isEmpty()) {
            return CompletableFuture.completedFuture(List.of()); // nothing to rank (fallbacks, candidate lists)
        }
        BulkRanking r = new BulkRanking(model, queries, timeoutNanos);
        r.queueFrom(0);
        return r.done.whenComplete((x, e) -> r.bulk.close());
    }

    /** Queues the part that starts at {@code from}, or completes the call when none is left. */
    private void queueFrom(int from) {
        if (from >= queries.size()) {
            done.complete(out);
            return;
        }
        long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (left <= 0) {
            fail(new ServingException(ServingError.DEADLINE_EXCEEDED, "the deadline passed while the batch was "
                    + "ranked (" + from + " of " + queries.size() + " users done)"));
            return;
        }
        List<CompletableFuture<ServedModel.Ranked>> part;
        try {
            part = bulk.submit(queries.subList(from, Math.min(queries.size(), from + chunk)), left);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        AtomicInteger pending = new AtomicInteger(part.size());
        for (CompletableFuture<ServedModel.Ranked> f : part) {
            f.whenComplete((r, e) -> {
                if (e != null) {
                    fail(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                } else if (pending.decrementAndGet() == 0 && !done.isDone()) {
                    part.forEach(p -> out.add(p.join()));
                    queueFrom(from + part.size());
                }
            });
        }
    }

    /** The call fails with the first failure; what it queued and has not run is dropped. */
    private void fail(Throwable e) {
        if (done.completeExceptionally(e)) {
            bulk.cancel();
        }
    }
}
