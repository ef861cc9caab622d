package org.ncf4j.server.error;

/**
 * Why a request could not be served, in the server's own terms; the gRPC endpoint alone maps these to status
 * codes ({@code org.ncf4j.server.grpc.Statuses}).
 */
public enum ServingError {
    /** The request can never succeed as written: empty or oversized, k out of range, an unknown item. */
    INVALID_REQUEST,
    /** An unknown model or version, or (with the popularity fallback off) an unknown user. */
    NOT_FOUND,
    /** No model is ready, or the server is shutting down: another replica or a retry may succeed. */
    UNAVAILABLE,
    /** The batching queue is full: retry later. */
    OVERLOADED,
    /** The call's deadline passed before it was answered. */
    DEADLINE_EXCEEDED,
    /** The server failed; the details are in its log, never in the answer. */
    INTERNAL
}
