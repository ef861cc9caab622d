package org.ncf4j.server.batching;

/**
 * Told about each model run of a {@link DynamicBatcher} once it ends: how many requests it combined, how long the
 * oldest waited, how long the run took, and whether it ran on the caller's thread.
 */
@FunctionalInterface
public interface RunObserver {
    /** Observes nothing. */
    RunObserver NONE = (requests, queuedNanos, runNanos, inline) -> { };

    void batch(int requests, long queuedNanos, long runNanos, boolean inline);
}
