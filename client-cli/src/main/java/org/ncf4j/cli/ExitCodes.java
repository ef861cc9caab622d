package org.ncf4j.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.ncf4j.data.DataException;

/**
 * The exit codes of {@code ncf} and the one-line message for each failure: 0 done, 1 the server answered with an
 * error status or a local file could not be written, 2 bad usage (flags, input files), 3 the server is unavailable
 * (no connection, TLS refused, or the server says UNAVAILABLE: no model ready yet, or stopping; worth a retry) or the
 * deadline passed.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int SERVER_ERROR = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    /** An exit code and the line to print (without the "ncf: " prefix). */
    public record Failure(int code, String message) {
    }

    private ExitCodes() {
    }

    /** What to tell the user about {@code e}, a failure of a command run against {@code target}. */
    public static Failure of(Throwable e, String target) {
        StatusRuntimeException status = find(e, StatusRuntimeException.class);
        if (status != null) {
            return ofStatus(status.getStatus(), target);
        }
        if (e instanceof UsageException || e instanceof DataException || e instanceof IllegalArgumentException) {
            return new Failure(USAGE, oneLine(e.getMessage()));
        }
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
            return new Failure(SERVER_ERROR, oneLine(e.getMessage()));
        }
        return new Failure(SERVER_ERROR, oneLine(e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + e.getMessage())));
    }

    static Failure ofStatus(Status s, String target) {
        String description = s.getDescription() == null ? "" : ": " + s.getDescription();
        if (s.getCode() == Status.Code.UNAVAILABLE) {
            Throwable root = s.getCause();
            while (root != null && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root != null && root.getMessage() != null ? " (" + root.getMessage() + ")" : "";
            return new Failure(UNREACHABLE, oneLine("UNAVAILABLE from " + target + description + why));
        }
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return new Failure(UNREACHABLE, oneLine("DEADLINE_EXCEEDED from " + target + description
                    + " (raise --deadline?)"));
        }
        return new Failure(SERVER_ERROR, oneLine(s.getCode() + description));
    }

    /** Whitespace runs (line breaks included) as one space, at most 400 characters. */
    static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return line.length() <= 400 ? line : line.substring(0, 397) + "...";
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
