package org.ncf4j.server.batching;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;

/**
 * Whether a call may join what waits for a {@link DynamicBatcher}'s runs, decided once per call before any of it is
 * queued, in count and in time. What waits: the calls admitted and not yet running (a bulk call counts once until it
 * closes) and the units (users or pairs) queued. A bulk call's units count as it queues them, a few runs at a time:
 * a call that comes later runs between its parts, not after all of them. The expected wait is the units queued at
 * the rate the queue drained lately: while units wait the workers are never idle, so the time between the ends of
 * runs is what their units cost, whatever else shares the processors (the I/O threads reading, answering and
 * refusing calls); after an idle spell, a run's own time over the workers stands for it. A call is refused when
 * {@code maxQueueSize} calls wait, when the expected wait exceeds {@code maxQueueWaitNanos}, or when its deadline
 * would pass before its turn came and its own run ended: the server then spends its time on calls that can still
 * succeed, and answers them within the wait allowed. A call that finds nothing queued is never refused for time (the
 * estimate is of the queue, and it has none ahead of it).
 */
final class Admission {
    private final String name;
    private final BatchSettings settings;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicLong units = new AtomicLong();
    /**
     * Time per unit of the queue's recent drain (nanoseconds; the expected one until a run has been timed): the
     * recent runs' cost ({@link #ran}) over their units, each sum decaying by 1/8 a run, so that a run weighs by its
     * units. (The mean of each run's time per
     * unit would weigh a lone request's run, which costs more per unit than a batch's, as much as a batch of 64.)
     */
    private volatile double nanosPerUnit;
    private double recentNanos;
    private double recentUnits;
    /** When the last run ended, and whether units waited then. */
    private long lastRanAt;
    private boolean backlogged;
    private final int parallel;

    /**
     * @param expectedUnitNanos the time of one unit until runs have been timed (a load-time run of one user or pair,
     *     which costs more than a unit of a batch: a cold server refuses early rather than late), 0 if unknown
     */
    Admission(String name, BatchSettings settings, long expectedUnitNanos) {
        this.name = name;
        this.settings = settings;
        this.parallel = Math.max(1, settings.workers());
        if (expectedUnitNanos > 0) {
            ran(expectedUnitNanos, 1);
        }
    }

    /**
     * Admits a call of {@code n} units as one more waiting call, or returns why not (OVERLOADED); a single request's
     * units are counted as queued at once ({@code queuedNow}), a bulk call's as it queues them ({@link #queued}).
     */
    ServingException admit(long n, long timeoutNanos, boolean queuedNow) {
        while (true) {
            int waiting = calls.get();
            long queued = units.get();
            ServingException full = full(waiting, queued);
            if (full != null) {
                return full;
            }
            double done = (queued + n) * nanosPerUnit;
            if (queued > 0 && timeoutNanos != Long.MAX_VALUE && done > timeoutNanos) {
                return new ServingException(ServingError.OVERLOADED, name + " would answer after the call's "
                        + "deadline: " + queued + " units wait before its " + n + ", about " + millis(done)
                        + " ms of runs, and " + millis(timeoutNanos) + " ms are left; retry later or elsewhere");
            }
            if (calls.compareAndSet(waiting, waiting + 1)) {
                if (queuedNow) {
                    units.addAndGet(n);
                }
                return null;
            }
        }
    }

    /**
     * Why any call would be refused now, whatever its size and deadline (what waits is at its count or beyond its
     * expected wait), or null: a call may be refused on this before its message is read.
     */
    ServingException busy() {
        return full(calls.get(), units.get());
    }

    private ServingException full(int waiting, long queued) {
        if (waiting >= settings.maxQueueSize()) {
            return new ServingException(ServingError.OVERLOADED, name + " queue is full (" + waiting + " calls "
                    + "waiting, ncf.max-queue-size " + settings.maxQueueSize() + "); retry later or elsewhere");
        }
        double wait = queued * nanosPerUnit;
        if (wait > settings.maxQueueWaitNanos()) {
            return new ServingException(ServingError.OVERLOADED, name + " is busy: " + queued + " units wait, about "
                    + millis(wait) + " ms of runs, beyond ncf.max-queue-wait (" + millis(settings.maxQueueWaitNanos())
                    + " ms); retry later or elsewhere");
        }
        return null;
    }

    /** Whole milliseconds, for messages (String.format would cost more than the refusal it explains). */
    private static long millis(double nanos) {
        return Math.round(nanos / 1e6);
    }

    /** A request leaves what waits (to run, or dropped); a bulk call's place is left when it closes. */
    void leave(int n, boolean inBulk) {
        if (!inBulk) {
            calls.decrementAndGet();
        }
        units.addAndGet(-n);
    }

    /** A bulk call queued {@code n} more units. */
    void queued(long n) {
        units.addAndGet(n);
    }

    /** A bulk call closes: its place. */
    void closeBulk() {
        calls.decrementAndGet();
    }

    /**
     * A run of {@code n} units took {@code nanos}: the time per unit follows it. While units wait, the workers are
     * never idle, so the time since the last run ended is what these units cost the queue's drain (the I/O threads'
     * share of the processors included, which a run's own time leaves out); otherwise the run's own time over the
     * workers stands for it.
     */
    synchronized void ran(long nanos, long n) {
        long now = System.nanoTime();
        long cost = backlogged ? now - lastRanAt : nanos / parallel;
        lastRanAt = now;
        backlogged = units.get() > 0;
        recentNanos = recentNanos * 7 / 8 + cost;
        recentUnits = recentUnits * 7 / 8 + Math.max(1, n);
        nanosPerUnit = recentNanos / recentUnits;
    }
}
