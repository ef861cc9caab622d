package org.ncf4j.server.batching;

import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Which of the transport's I/O event loops, if any, runs the current thread, and whether the current call was
 * cancelled. A request that arrives on a loop's
 * thread runs there when the model is idle; later ones of the same pass over the sockets are collected and handed
 * over when the pass ends, and their answers are completed back on that loop. Implemented by the gRPC layer; no
 * transport's types appear here.
 */
@FunctionalInterface
public interface IoLoops {
    /** No thread is an I/O loop: requests run in their caller's thread or on the batcher's workers. */
    IoLoops NONE = () -> null;

    /**
     * The loop running the current thread, or null on any other thread. Its executor runs each task later on this
     * same thread, after what the loop has already queued (the rest of the pass in progress included), and throws
     * {@link java.util.concurrent.RejectedExecutionException} once the loop is shutting down. Called for every
     * request: it must be cheap.
     */
    Executor current();

    /** A call that is never cancelled. */
    BooleanSupplier NOT_CANCELLED = () -> false;

    /**
     * A check, which any thread may make later, of whether the client of the call served on the current thread has
     * cancelled it (not its deadline, which the batcher times itself); a request whose call is cancelled is dropped
     * before it runs. Called for every request: it must be cheap.
     */
    default BooleanSupplier cancellation() {
        return NOT_CANCELLED;
    }
}
