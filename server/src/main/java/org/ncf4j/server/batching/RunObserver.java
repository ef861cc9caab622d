package org.ncf4j.server.batching;

/**
 * Told about each model run of a {@link DynamicBatcher} once it ends: how many requests it combined, how long the
 * oldest waited, how long the run took, and whether it ran on the caller's thread; and about requests dropped
 * before they ran.
 */
@FunctionalInterface
public interface RunObserver {
    /** Observes nothing. */
    RunObserver NONE = (requests, queuedNanos, runNanos, inline) -> { };

    void batch(int requests, long queuedNanos, long runNanos, boolean inline);

    /**
     * Requests admitted and then not run: their call's deadline passed ("deadline"), the call was cancelled (by its
     * client, or a bulk call whose other part failed: "cancelled"), it failed otherwise ("failed"), or the model was
     * unloaded while they waited ("closed").
     */
    default void dropped(String reason, int requests) {
    }
}
