package org.ncf4j.server.service;

import io.grpc.Status;

/** A request that cannot be served, with the gRPC status the caller gets and a message naming what was wrong. */
public class ServingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Status.Code code;

    public ServingException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    public Status status() {
        return Status.fromCode(code).withDescription(getMessage());
    }
}
