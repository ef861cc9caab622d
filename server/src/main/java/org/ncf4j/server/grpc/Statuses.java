package org.ncf4j.server.grpc;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the server's errors become gRPC statuses. A {@link ServingException} keeps its message; any
 * other failure is the server's own, logged here with its stack trace, and the caller gets INTERNAL without Java
 * text. Descriptions are capped, so that no trailer outgrows a client's limit.
 */
final class Statuses {
    private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);
    /** The longest description sent ({@link Ids#MAX_MESSAGE}). */
    static final int MAX_DESCRIPTION = Ids.MAX_MESSAGE;

    private Statuses() {
    }

    static Status.Code code(ServingError error) {
        return switch (error) {
            case INVALID_REQUEST -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case OVERLOADED -> Status.Code.RESOURCE_EXHAUSTED;
            case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** The status a failed call answers with. */
    static Status of(String rpc, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof ServingException s) {
            if (s.error() == ServingError.INTERNAL) {
                LOG.error("{} failed: {}", rpc, s.getMessage(), s.getCause() != null ? s.getCause() : s);
                return Status.INTERNAL.withDescription(cap(s.getMessage()) + " (details in the server's log)");
            }
            return Status.fromCode(code(s.error())).withDescription(cap(s.getMessage()));
        }
        LOG.error("{} failed", rpc, e);
        return Status.INTERNAL.withDescription("internal error in " + rpc + " (details in the server's log)");
    }

    static String cap(String description) {
        return Ids.cap(description);
    }
}
