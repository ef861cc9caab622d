package org.ncf4j.server.batching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.ncf4j.server.error.ServingException;

/**
 * A request admitted to a {@link DynamicBatcher} and not yet answered: its units, its result, when it was queued,
 * and the I/O loop that received it, if one did.
 */
final class Pending<Q, R> {
    final Q request;
    final int units;
    final CompletableFuture<R> result = new CompletableFuture<>();
    final long queuedAt = System.nanoTime();
    /** The I/O loop that received the request, or null: its answer is completed there. */
    final Executor origin;
    /** Part of a bulk call, which holds one place among the waiting calls for all its requests. */
    final boolean inBulk;

    /** Whether the request's client cancelled its call. */
    private final BooleanSupplier cancelled;

    Pending(Q request, int units, Executor origin, BooleanSupplier cancelled, boolean inBulk) {
        this.request = request;
        this.units = units;
        this.origin = origin;
        this.cancelled = cancelled;
        this.inBulk = inBulk;
    }

    /**
     * Whether the request is not to run: its result is complete (its deadline passed, its bulk call was cancelled)
     * or its client cancelled the call, which completes it now.
     */
    boolean givenUp() {
        if (!result.isDone() && cancelled.getAsBoolean()) {
            result.completeExceptionally(new CancellationException("the client cancelled the call"));
        }
        return result.isDone();
    }

    /**
     * Why a request admitted and then not run was dropped, from how its result completed: its deadline passed
     * ("deadline"), its client cancelled it or its bulk call was cancelled ("cancelled"), or its call failed
     * otherwise ("failed").
     */
    String dropReason() {
        Throwable e = result.handle((r, x) -> x).getNow(null);
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof TimeoutException ? "deadline" : cause instanceof CancellationException ? "cancelled"
                : "failed";
    }

    /**
     * Completes a run's requests with their results, or all with {@code failure}. A run in the caller's thread
     * completes them at once: that thread is the loop that received them, or no loop. A worker completes the
     * requests that came from I/O loops on those loops, one task per loop and run: what follows (building and
     * writing the responses) then happens where the transport does it anyway, and the worker wakes each loop once
     * instead of once per response.
     */
    static <Q, R> void complete(List<Pending<Q, R>> batch, List<R> results, ServingException failure,
                                boolean inline) {
        Map<Executor, List<Runnable>> byLoop = null;
        for (int i = 0; i < batch.size(); i++) {
            Pending<Q, R> p = batch.get(i);
            R r = results == null ? null : results.get(i);
            Runnable done = () -> {
                if (failure == null) {
                    p.result.complete(r);
                } else {
                    p.result.completeExceptionally(failure);
                }
            };
            if (p.origin == null || inline) {
                done.run(); // a caller off the I/O loops, or a run on the receiving loop itself
            } else {
                if (byLoop == null) {
                    byLoop = new HashMap<>();
                }
                byLoop.computeIfAbsent(p.origin, l -> new ArrayList<>()).add(done);
            }
        }
        if (byLoop != null) {
            byLoop.forEach((loop, tasks) -> {
                try {
                    loop.execute(() -> tasks.forEach(Runnable::run));
                } catch (RejectedExecutionException e) {
                    tasks.forEach(Runnable::run); // the loop is shutting down: answer from here
                }
            });
        }
    }
}
