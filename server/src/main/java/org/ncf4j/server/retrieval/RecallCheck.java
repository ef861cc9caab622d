package org.ncf4j.server.retrieval;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retrieval's recall as it serves: at most once per interval, one user just ranked through retrieval is ranked
 * again over the whole catalogue, on a thread of its own after the answer has gone, and the share of the exact top k
 * that retrieval returned is reported. A check costs one exact ranking (a tenth of a second of one core at a million
 * items), so the interval bounds what it takes from serving; when the thread is still busy with the last check, the
 * next is skipped.
 */
public final class RecallCheck {
    /** Where recall is reported: the model's name and one user's recall@k. */
    @FunctionalInterface
    public interface Sink {
        void recall(String model, double recall);
    }

    /** One thread for every model: checks are rare, and one at a time keeps their cost bounded. */
    private static final ThreadPoolExecutor CHECKS = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1), r -> {
                Thread t = new Thread(r, "retrieval-recall-check");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.AbortPolicy());

    static {
        CHECKS.allowCoreThreadTimeOut(true);
    }

    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(System.nanoTime());

    /** @param intervalNanos the least time between two checks; 0: no checks */
    public RecallCheck(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Whether a check is due now; true claims it, so that concurrent runs start one check at most. */
    public boolean due() {
        if (intervalNanos <= 0) {
            return false;
        }
        long now = System.nanoTime();
        long at = next.get();
        return now - at >= 0 && next.compareAndSet(at, now + intervalNanos);
    }

    /**
     * Runs {@code check} on the checks' thread; false when that thread is busy (the check is skipped, and the caller
     * releases what it holds for it).
     */
    public static boolean start(Runnable check) {
        try {
            CHECKS.execute(check);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The share of {@code exact} found in {@code retrieved}. */
    public static double recall(long[] retrieved, long[] exact) {
        Set<Long> want = new HashSet<>();
        for (long item : exact) {
            want.add(item);
        }
        int found = 0;
        for (long item : retrieved) {
            found += want.contains(item) ? 1 : 0;
        }
        return want.isEmpty() ? 1 : found / (double) want.size();
    }
}
