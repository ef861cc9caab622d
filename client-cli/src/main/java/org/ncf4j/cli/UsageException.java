package org.ncf4j.cli;

/** A problem with what the user asked for (flags, input files): exit code 2, with its message. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
