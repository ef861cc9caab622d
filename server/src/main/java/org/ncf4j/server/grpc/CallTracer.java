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
    /** Logged: what a caller got wrong, and refusals (a message over the size limit, a full queue, no credential). */
    private static final Set<Status.Code> LOGGED = EnumSet.of(Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND, Status.Code.UNIMPLEMENTED, Status.Code.OUT_OF_RANGE,
            Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAUTHENTICATED,
            Status.Code.PERMISSION_DENIED);

    private final ServingMetrics metrics;
    private final AtomicLong window = new AtomicLong();
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    CallTracer(ServingMetrics metrics) {
        this.metrics = metrics;
    }

    private static final Metadata.Key<String> TIMEOUT = Metadata.Key.of("grpc-timeout",
            Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        metrics.callStarted();
        long start = System.nanoTime();
        long timeout = timeout(headers.get(TIMEOUT));
        return new ServerStreamTracer() {
            private volatile String rpc = "unknown";

            @Override
            public void serverCallStarted(ServerCallInfo<?, ?> info) {
                rpc = label(info.getMethodDescriptor().getFullMethodName());
            }

            @Override
            public void streamClosed(Status status) {
                long elapsed = System.nanoTime() - start;
                metrics.callEnded();
                // logged before counted: whoever sees a call counted finds its line logged
                if (LOGGED.contains(status.getCode())) {
                    logBadRequest(rpc.equals("unknown") ? "unknown method " + Statuses.cap(fullMethodName) : rpc,
                            status);
                }
                metrics.call(rpc, counted(status.getCode(), elapsed, timeout).name(), elapsed);
            }
        };
    }

    /**
     * The code a call is counted with. A client whose deadline passes cancels the stream, and its cancel
     * usually arrives just before the server's own timer fires (the client's clock started earlier, by the time
     * the request took to arrive): a call cancelled after 90% of its timeout is counted as DEADLINE_EXCEEDED.
     */
    static Status.Code counted(Status.Code code, long elapsedNanos, long timeoutNanos) {
        return code == Status.Code.CANCELLED && timeoutNanos >= 0 && elapsedNanos >= timeoutNanos / 10 * 9
                ? Status.Code.DEADLINE_EXCEEDED : code;
    }

    /**
     * A call's timeout in nanoseconds from its {@code grpc-timeout} header ("200m", "3S": at most 8 digits and a
     * unit), or -1 when there is none or it does not parse.
     */
    static long timeout(String header) {
        if (header == null || header.length() < 2 || header.length() > 9) {
            return -1;
        }
        long n;
        try {
            n = Long.parseLong(header.substring(0, header.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
        long unit = switch (header.charAt(header.length() - 1)) {
            case 'n' -> 1L;
            case 'u' -> 1_000L;
            case 'm' -> 1_000_000L;
            case 'S' -> 1_000_000_000L;
            case 'M' -> 60_000_000_000L;
            case 'H' -> 3_600_000_000_000L;
            default -> -1;
        };
        return n < 0 || unit < 0 ? -1 : n * unit;
    }

    /**
     * The methods of ncf.v1.Recommender and of the Open Inference Protocol by their short names ("Score",
     * "ModelInfer"; none is in both), other services' by their full name.
     */
    static String label(String fullMethodName) {
        for (String prefix : SHORT) {
            if (fullMethodName.startsWith(prefix)) {
                return fullMethodName.substring(prefix.length());
            }
        }
        return fullMethodName;
    }

    private static final String[] SHORT = {"ncf.v1.Recommender/", "inference.GRPCInferenceService/"};

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
