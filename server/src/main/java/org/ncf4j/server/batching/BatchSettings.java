package org.ncf4j.server.batching;

import java.util.concurrent.TimeUnit;

/**
 * How a {@link DynamicBatcher} combines requests, with Triton's knobs.
 *
 * @param maxBatchUnits the most units one run holds (a single larger request runs alone)
 * @param maxQueueDelayNanos how long a batch's first request waits for more (0: only those already waiting)
 * @param maxQueueSize how many requests may wait
 * @param workers threads running batches, and the most runs at a time
 * @param maxInlineNanos runs expected to take longer never run on the caller's (an I/O) thread
 * @param maxQueueWaitNanos calls whose expected wait (the units queued before them at the rate the queue drained
 *     lately, see {@code Admission}) is longer are refused
 */
public record BatchSettings(int maxBatchUnits, long maxQueueDelayNanos, int maxQueueSize, int workers,
                            long maxInlineNanos, long maxQueueWaitNanos) {
    /** Runs expected to take longer than this never run on an I/O thread, by default. */
    public static final long MAX_INLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    public BatchSettings {
        if (maxBatchUnits < 1 || maxQueueDelayNanos < 0 || maxQueueSize < 1 || workers < 1
                || maxQueueWaitNanos <= 0) {
            throw new IllegalArgumentException("batching needs a batch size >= 1, a queue delay >= 0, a "
                    + "queue size >= 1, at least one worker and a queue wait > 0");
        }
    }

    /** Without a bound on the expected wait (only the calls' deadlines bound it). */
    public BatchSettings(int maxBatchUnits, long maxQueueDelayNanos, int maxQueueSize, int workers,
                         long maxInlineNanos) {
        this(maxBatchUnits, maxQueueDelayNanos, maxQueueSize, workers, maxInlineNanos, Long.MAX_VALUE);
    }
}
