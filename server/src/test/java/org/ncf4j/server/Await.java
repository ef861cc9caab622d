package org.ncf4j.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for something that happens on another thread or in another process, when nothing signals it:
 * the condition is checked every few milliseconds until it holds or the (generous) time runs out, which fails the
 * test saying what was awaited. Tests never sleep for a guessed time instead.
 */
public final class Await {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Await() {
    }

    /** Waits until {@code condition} holds; an AssertionError naming {@code what} when {@code timeout} passes. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        if (!holdsWithin(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
        }
    }

    /** Whether {@code condition} holds within {@code timeout}. */
    public static boolean holdsWithin(Duration timeout, BooleanSupplier condition) {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - until > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting");
            }
        }
        return true;
    }
}
