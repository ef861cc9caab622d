package org.ncf4j.cli;

import com.google.common.util.concurrent.ListenableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Keeps at most {@code limit} calls in flight; each answer is handled in the order the calls were made, on
 * the submitting thread, so handlers need no locking.
 */
final class InFlight<T> {
    interface Handler<T> {
        void handle(T response) throws Exception;
    }

    private record Pending<T>(ListenableFuture<T> future, Handler<T> handler) {
    }

    private final int limit;
    private final java.util.ArrayDeque<Pending<T>> pending = new java.util.ArrayDeque<>();

    InFlight(int limit) {
        this.limit = limit;
    }

    void submit(ListenableFuture<T> future, Handler<T> handler) throws Exception {
        pending.add(new Pending<>(future, handler));
        while (pending.size() > limit) {
            finishOne();
        }
    }

    void awaitAll() throws Exception {
        while (!pending.isEmpty()) {
            finishOne();
        }
    }

    private void finishOne() throws Exception {
        Pending<T> p = pending.poll();
        T response;
        try {
            response = p.future().get();
        } catch (ExecutionException e) {
            pending.forEach(q -> q.future().cancel(true));
            pending.clear();
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        p.handler().handle(response);
    }
}
