package org.ncf4j.data;

/**
 * A dataset could not be read or used. The message is meant for the person running the command: it names the
 * file, the line where there is one, and what was expected.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
