package org.ncf4j.trainer.cli;

/**
 * Flags that parse but do not go together or are out of range (e.g. {@code --epochs 0}): bad usage, exit code 2
 * with a one-line message, like a flag that does not parse.
 */
final class UsageError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }
}
