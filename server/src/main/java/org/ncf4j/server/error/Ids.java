package org.ncf4j.server.error;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Caller-supplied text quoted in error messages, bounded: an id longer than {@link #MAX_SHOWN} characters is cut
 * and its length given, so that no message (and no gRPC trailer carrying it) grows with the input. Clients'
 * default limit on trailers is 8 KB.
 */
public final class Ids {
    /** Characters of an id shown in a message. */
    public static final int MAX_SHOWN = 64;
    /** The longest error text sent to a caller; gRPC clients' default limit on all trailers together is 8 KB. */
    public static final int MAX_MESSAGE = 1024;
    /** Names listed in a message (models, versions). */
    static final int MAX_LISTED = 10;

    private Ids() {
    }

    /** {@code 'id'}, or {@code 'first 64 characters...' (12345 characters)}. */
    public static String quote(String id) {
        if (id.length() <= MAX_SHOWN) {
            return "'" + id + "'";
        }
        return "'" + id.substring(0, MAX_SHOWN) + "...' (" + id.length() + " characters)";
    }

    /** The first names of a collection, and how many more there are. */
    public static String list(Collection<?> names) {
        String shown = names.stream().limit(MAX_LISTED).map(n -> quote(String.valueOf(n)))
                .collect(Collectors.joining(", ", "[", ""));
        return shown + (names.size() > MAX_LISTED ? ", and " + (names.size() - MAX_LISTED) + " more]" : "]");
    }

    /** An error text cut to {@link #MAX_MESSAGE} characters, with its full length, for any protocol's answer. */
    public static String cap(String message) {
        if (message == null || message.length() <= MAX_MESSAGE) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE) + "... (" + message.length() + " characters)";
    }
}
