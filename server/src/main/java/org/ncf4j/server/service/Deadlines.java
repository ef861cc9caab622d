package org.ncf4j.server.service;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;

/** The time left before the current call's deadline. */
final class Deadlines {
    private Deadlines() {
    }

    /** Nanoseconds left, Long.MAX_VALUE without a deadline; DEADLINE_EXCEEDED when none is left. */
    static long remainingNanos() {
        Deadline d = Context.current().getDeadline();
        if (d == null) {
            return Long.MAX_VALUE;
        }
        long left = d.timeRemaining(TimeUnit.NANOSECONDS);
        if (left <= 0) {
            throw new ServingException(io.grpc.Status.Code.DEADLINE_EXCEEDED, "the call's deadline passed");
        }
        return left;
    }
}
