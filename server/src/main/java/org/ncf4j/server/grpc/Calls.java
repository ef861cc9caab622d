package org.ncf4j.server.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;

/**
 * How every endpoint runs a unary call: on the I/O thread ({@link #DIRECT}) or on the blocking executor, in the
 * call's gRPC context, answering when the call's future completes; any failure becomes a status
 * ({@link Statuses}).
 */
final class Calls {
    /** Runs a call on the transport's I/O thread: only for calls that never block. */
    static final Executor DIRECT = Runnable::run;

    private Calls() {
    }

    /** Nanoseconds left before the call's deadline (Long.MAX_VALUE without one). */
    static long timeoutNanos() {
        Deadline d = Context.current().getDeadline();
        if (d == null) {
            return Long.MAX_VALUE;
        }
        long left = d.timeRemaining(TimeUnit.NANOSECONDS);
        if (left <= 0) {
            throw new ServingException(ServingError.DEADLINE_EXCEEDED, "the call's deadline passed before it was "
                    + "served");
        }
        return left;
    }

    /**
     * Runs the call on {@code where} (in the call's gRPC context) and answers when its future completes; a failure
     * at any point becomes a status.
     */
    static <T> void answer(String rpc, StreamObserver<T> out, Executor where, Supplier<CompletableFuture<T>> call) {
        Runnable body = () -> {
            CompletableFuture<T> response;
            try {
                timeoutNanos();
                response = call.get();
            } catch (Throwable e) {
                response = CompletableFuture.failedFuture(e);
            }
            response.whenComplete((r, e) -> {
                if (e == null) {
                    out.onNext(r);
                    out.onCompleted();
                } else {
                    out.onError(Statuses.of(rpc, e).asRuntimeException());
                }
            });
        };
        try {
            where.execute(where == DIRECT ? body : Context.current().wrap(body));
        } catch (RejectedExecutionException e) {
            out.onError(Statuses.of(rpc, ServingException.unavailable("the server is shutting down"))
                    .asRuntimeException());
        }
    }

    /** A call answered at once from {@code value}, on the I/O thread. */
    static <T> void answerNow(String rpc, StreamObserver<T> out, Supplier<T> value) {
        answer(rpc, out, DIRECT, () -> CompletableFuture.completedFuture(value.get()));
    }
}
