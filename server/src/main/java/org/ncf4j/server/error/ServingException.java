package org.ncf4j.server.error;

/** A request that cannot be served: the kind of failure and a message for the caller naming what was wrong. */
public class ServingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ServingError error;

    public ServingException(ServingError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ServingException(ServingError error, String message, Throwable cause) {
        super(message, cause, false, true);
        this.error = error;
    }

    public ServingError error() {
        return error;
    }

    public static ServingException invalid(String message) {
        return new ServingException(ServingError.INVALID_REQUEST, message);
    }

    public static ServingException notFound(String message) {
        return new ServingException(ServingError.NOT_FOUND, message);
    }

    public static ServingException unavailable(String message) {
        return new ServingException(ServingError.UNAVAILABLE, message);
    }
}
