package org.ncf4j.server.model;

import org.ncf4j.server.batching.RunObserver;

/**
 * Told about each model run of a served model, by call type ("recommend" or "score"), each request dropped before
 * its run, and each check of retrieval's recall.
 */
@FunctionalInterface
public interface BatchObserver {
    void batch(String call, int requests, long queuedNanos, long runNanos, boolean inline);

    /** One user's recall@k of retrieval against the exact ranking ({@link RecallCheck}). */
    default void recall(String model, double recall) {
    }

    /** Requests of a call type admitted and not run, by reason ({@link RunObserver#dropped}). */
    default void dropped(String call, String reason, int requests) {
    }

    /** What the batcher of {@code call}s tells this observer. */
    default RunObserver forCall(String call) {
        return new RunObserver() {
            @Override
            public void batch(int requests, long queuedNanos, long runNanos, boolean inline) {
                BatchObserver.this.batch(call, requests, queuedNanos, runNanos, inline);
            }

            @Override
            public void dropped(String reason, int requests) {
                BatchObserver.this.dropped(call, reason, requests);
            }
        };
    }
}
