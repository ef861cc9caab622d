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

    /** A line or field quoted in a message, cut to 80 characters so one bad line stays one line of output. */
    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
