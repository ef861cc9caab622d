package org.ncf4j.cli;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Keeps at most {@code limit} calls in flight; each answer is handled in the order the calls were made, on the
 * submitting thread, so handlers need no locking. A call the server refused for load (RESOURCE_EXHAUSTED with a
 * message that asks to retry; not the client's own RESOURCE_EXHAUSTED for a message too large) is made again after
 * a pause that doubles from 10 ms to 1 s, up to 12 times: a bulk client keeps going at the rate the server can take
 * instead of failing.
 */
final class InFlight<T> {
    interface Handler<T> {
        void handle(T response) throws Exception;
    }

    /** Calls made again after a refusal, at most; with the pauses, about 7 s in all. */
    static final int RETRIES = 12;
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long LONGEST_PAUSE_MILLIS = 1000;

    private static final class Pending<T> {
        final Supplier<ListenableFuture<T>> call;
        final Handler<T> handler;
        ListenableFuture<T> future;

        Pending(Supplier<ListenableFuture<T>> call, Handler<T> handler) {
            this.call = call;
            this.handler = handler;
            this.future = call.get();
        }
    }

    private final int limit;
    private final java.util.ArrayDeque<Pending<T>> pending = new java.util.ArrayDeque<>();

    InFlight(int limit) {
        this.limit = limit;
    }

    /** Makes the call (now, and again if it is refused for load) and handles its answer in turn. */
    void submit(Supplier<ListenableFuture<T>> call, Handler<T> handler) throws Exception {
        pending.add(new Pending<>(call, handler));
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
        try {
            T response = null;
            long pause = FIRST_PAUSE_MILLIS;
            for (int attempt = 0; response == null; attempt++) {
                try {
                    response = p.future.get();
                } catch (ExecutionException e) {
                    if (attempt < RETRIES && refusedForLoad(e.getCause())) {
                        Thread.sleep(pause);
                        pause = Math.min(LONGEST_PAUSE_MILLIS, 2 * pause);
                        p.future = p.call.get();
                        continue;
                    }
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            p.handler.handle(response);
        } catch (Exception | Error e) { // the run ends: the calls still in flight are not waited for
            pending.forEach(q -> q.future.cancel(true));
            pending.clear();
            throw e;
        }
    }

    /** RESOURCE_EXHAUSTED from the server's admission, whose message asks the caller to retry. */
    private static boolean refusedForLoad(Throwable e) {
        Status s = Status.fromThrowable(e);
        return s.getCode() == Status.Code.RESOURCE_EXHAUSTED && s.getDescription() != null
                && s.getDescription().contains("retry");
    }
}
