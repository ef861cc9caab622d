package org.ncf4j.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.ncf4j.server.metrics.ServingMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every call once, with the status it really ended with, and logs one line for each that a caller got
 * wrong. It traces streams, not calls, so it also sees what never reaches a service: unknown methods
 * (UNIMPLEMENTED), messages over the size limit, and calls the transport cuts off. Bad requests are logged at
 * INFO, at most {@link #LINES_PER_SECOND} a second (then one line saying how many were not).
 */
final class CallTracer extends ServerStreamTracer.Factory {
    private static final Logger LOG = LoggerFactory.getLogger("org.ncf4j.server.requests");
    static final int LINES_PER_SECOND = 20;
    /** Logged: what a caller got wrong, and refusals (a message over the size limit, a full queue). */
    private static final Set<Status.Code> LOGGED = EnumSet.of(Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND, Status.Code.UNIMPLEMENTED, Status.Code.OUT_OF_RANGE,
            Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED);

    private final ServingMetrics metrics;
    private final AtomicLong window = new AtomicLong();
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    CallTracer(ServingMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        metrics.callStarted();
        return new ServerStreamTracer() {
            private final long start = System.nanoTime();
            private volatile String rpc = "unknown";

            @Override
            public void serverCallStarted(ServerCallInfo<?, ?> info) {
                rpc = label(info.getMethodDescriptor().getFullMethodName());
            }

            @Override
            public void streamClosed(Status status) {
                metrics.callEnded();
                metrics.call(rpc, status.getCode().name(), System.nanoTime() - start);
                if (LOGGED.contains(status.getCode())) {
                    logBadRequest(rpc.equals("unknown") ? "unknown method " + Statuses.cap(fullMethodName) : rpc,
                            status);
                }
            }
        };
    }

    /** Our own methods by their short name ("Score"), other services' by their full name. */
    static String label(String fullMethodName) {
        String prefix = "ncf.v1.Recommender/";
        return fullMethodName.startsWith(prefix) ? fullMethodName.substring(prefix.length()) : fullMethodName;
    }

    private void logBadRequest(String what, Status status) {
        long second = System.nanoTime() / 1_000_000_000L;
        long w = window.get();
        if (w != second && window.compareAndSet(w, second)) {
            long missed = suppressed.getAndSet(0);
            logged.set(0);
            if (missed > 0) {
                LOG.info("{} more bad requests in the last second were not logged", missed);
            }
        }
        if (logged.incrementAndGet() <= LINES_PER_SECOND) {
            LOG.info("{} {}: {}", what, status.getCode(), status.getDescription());
        } else {
            suppressed.incrementAndGet();
        }
    }
}
