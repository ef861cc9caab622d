package org.ncf4j.server.inference;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import org.ncf4j.server.service.ServingException;

/**
 * Combines concurrent requests into one model call, with Triton's knobs: a batch holds at most
 * {@code maxBatchSize} units (users or pairs), and the first request of a batch waits at most
 * {@code maxQueueDelayMicros} for others (0: only requests already queued join). The queue is bounded: when
 * {@code maxQueueSize} requests wait, a new one is refused with RESOURCE_EXHAUSTED rather than waiting without
 * bound. Requests whose caller gave up (deadline) are dropped before they run. Without a queue delay, a request
 * that finds the model idle (nothing queued or running, and idle at least as long as its last run took) runs at
 * once in its caller's thread: batching only happens when calls actually overlap, and a lone call pays no thread
 * hand-off.
 *
 * @param <Q> a request
 * @param <R> its result
 */
public final class DynamicBatcher<Q, R> implements AutoCloseable {
    /** Runs one batch; returns one result per request, in order. */
    @FunctionalInterface
    public interface BatchCall<Q, R> {
        List<R> run(List<Q> batch) throws Exception;
    }

    /** Told about each batch run: how many requests it combined and how long the oldest waited. */
    @FunctionalInterface
    public interface Observer {
        void batch(int requests, long queuedNanos);
    }

    /**
     * What a model run needs kept alive (the model's sessions): entered before each run and exited after it, so
     * the resource outlives runs whose callers have already given up (deadline) and released their own hold.
     */
    public interface Guard {
        /** Nothing to keep alive. */
        Guard NONE = new Guard() {
            @Override
            public boolean enter() {
                return true;
            }

            @Override
            public void exit() {
            }
        };

        /** Takes a hold; false when the resource is already gone. */
        boolean enter();

        void exit();
    }

    private record Pending<Q, R>(Q request, int size, CompletableFuture<R> result, long queuedAt) {
    }

    /** Runs longer than this never run inline. */
    static final long MAX_INLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final String name;
    private final int maxBatchSize;
    private final long maxDelayNanos;
    private final ToIntFunction<Q> size;
    private final BatchCall<Q, R> call;
    private final BlockingQueue<Pending<Q, R>> queue;
    private final int workers;
    /** Model runs in progress, inline or by a worker, at most one per worker. */
    private final Semaphore runs;
    private final Observer observer;
    private final Guard guard;
    private volatile boolean closed;
    private Pending<Q, R> carried;
    /** When the last run (inline or by a worker) ended and how long it took (nanoTime), for {@link #quiet}. */
    private volatile long lastRunEnd = System.nanoTime();
    private volatile long lastRunNanos;

    /**
     * @param name for thread names and messages
     * @param maxBatchSize the most units one batch holds (a single larger request runs alone)
     * @param maxQueueDelayMicros how long a batch's first request waits for more
     * @param maxQueueSize how many requests may wait
     * @param workers threads running batches (each takes its own batch from the queue)
     * @param size the units of a request
     * @param call runs a batch
     * @param observer told about each run (may be null)
     * @param guard held around each run (may be null)
     */
    public DynamicBatcher(String name, int maxBatchSize, long maxQueueDelayMicros, int maxQueueSize, int workers,
                          ToIntFunction<Q> size, BatchCall<Q, R> call, Observer observer, Guard guard) {
        if (maxBatchSize < 1 || maxQueueDelayMicros < 0 || maxQueueSize < 1 || workers < 1) {
            throw new IllegalArgumentException("batching needs max-batch-size >= 1, max-queue-delay >= 0, "
                    + "max-queue-size >= 1 and at least one worker");
        }
        this.name = name;
        this.maxBatchSize = maxBatchSize;
        this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(maxQueueDelayMicros);
        this.size = size;
        this.call = call;
        this.observer = observer == null ? (n, t) -> { } : observer;
        this.guard = guard == null ? Guard.NONE : guard;
        this.queue = new ArrayBlockingQueue<>(maxQueueSize);
        this.workers = workers;
        this.runs = new Semaphore(workers);
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(this::work, name + "-batcher-" + w);
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Queues the request; the future completes with its result or a {@link ServingException}: RESOURCE_EXHAUSTED
     * when the queue is full, DEADLINE_EXCEEDED when {@code timeoutNanos} (Long.MAX_VALUE: no deadline) passes,
     * UNAVAILABLE when the model is being unloaded, or the batch's own failure. A request that finds the model
     * idle runs at once in the caller's thread, so the returned future is then already complete.
     */
    public CompletableFuture<R> submitAsync(Q request, long timeoutNanos) {
        if (closed) {
            return CompletableFuture.failedFuture(new ServingException(Status.Code.UNAVAILABLE, name
                    + " is shutting down"));
        }
        if (maxDelayNanos == 0 && queue.isEmpty() && quiet() && runs.tryAcquire()) {
            // nothing to batch with and the model idle: run in the caller's thread, saving two thread hand-offs
            try {
                return CompletableFuture.completedFuture(run(List.of(request), 0).get(0));
            } catch (Throwable e) {
                return CompletableFuture.failedFuture(failure(e));
            } finally {
                runs.release();
            }
        }
        Pending<Q, R> p = new Pending<>(request, size.applyAsInt(request), new CompletableFuture<>(),
                System.nanoTime());
        if (!queue.offer(p)) {
            return CompletableFuture.failedFuture(new ServingException(Status.Code.RESOURCE_EXHAUSTED, name
                    + " queue is full (" + queue.size() + " requests waiting); retry later"));
        }
        if (timeoutNanos != Long.MAX_VALUE) {
            // timing out completes the future, which also drops the request from its batch if it has not run yet
            p.result().orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
        }
        return p.result().handle((r, e) -> {
            if (e == null) {
                return r;
            }
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                throw new ServingException(Status.Code.DEADLINE_EXCEEDED, "the deadline passed while " + name
                        + " was queued or running");
            }
            throw failure(cause);
        });
    }

    /**
     * Whether a caller may run inline: nothing is running, the model has been idle at least as long as its last
     * run took (below half busy), and that run was short. Back-to-back calls (many in flight on one
     * connection) fail this and are queued instead, so that the workers run them in parallel rather than one
     * caller's thread running them one by one; and a model slow enough to stall an I/O thread always runs on the
     * workers, where one more thread hand-off is noise.
     */
    private boolean quiet() {
        long last = lastRunNanos;
        return last <= MAX_INLINE_NANOS && runs.availablePermits() == workers
                && System.nanoTime() - lastRunEnd >= last;
    }

    private ServingException failure(Throwable e) {
        return e instanceof ServingException s ? s : new ServingException(Status.Code.INTERNAL, name + " failed: "
                + e);
    }

    private void work() {
        while (!closed || !queue.isEmpty()) {
            List<Pending<Q, R>> batch;
            try {
                batch = collect();
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                runs.acquire();
            } catch (InterruptedException e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
                return;
            }
            try {
                batch.removeIf(p -> p.result().isDone()); // callers whose deadline passed while this waited
                if (!batch.isEmpty()) {
                    List<Q> requests = new ArrayList<>(batch.size());
                    batch.forEach(p -> requests.add(p.request()));
                    List<R> results = run(requests, System.nanoTime() - batch.get(0).queuedAt());
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result().complete(results.get(i));
                    }
                }
            } catch (Throwable e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                runs.release();
            }
        }
    }

    /** One model run, holding the guard. */
    private List<R> run(List<Q> requests, long queuedNanos) throws Exception {
        if (!guard.enter()) {
            throw new ServingException(Status.Code.UNAVAILABLE, name + " was unloaded; retry");
        }
        long start = System.nanoTime();
        try {
            observer.batch(requests.size(), queuedNanos);
            return call.run(requests);
        } finally {
            guard.exit();
            long end = System.nanoTime();
            lastRunNanos = end - start;
            lastRunEnd = end;
        }
    }

    /** One batch: the first waiting request, then others until the size or the delay is reached. */
    private List<Pending<Q, R>> collect() throws InterruptedException {
        List<Pending<Q, R>> batch = new ArrayList<>();
        Pending<Q, R> first = takeCarried();
        if (first == null) {
            first = queue.poll(100, TimeUnit.MILLISECONDS);
        }
        if (first == null) {
            return batch;
        }
        long deadline = System.nanoTime() + maxDelayNanos;
        int units = add(batch, first, 0);
        while (units < maxBatchSize) {
            long left = deadline - System.nanoTime();
            Pending<Q, R> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (units + next.size() > maxBatchSize) {
                carry(next);
                break;
            }
            units = add(batch, next, units);
        }
        return batch;
    }

    private int add(List<Pending<Q, R>> batch, Pending<Q, R> p, int units) {
        if (p.result().isDone()) {
            return units; // the caller's deadline passed (or it gave up) while queued
        }
        batch.add(p);
        return units + p.size();
    }

    /** A request that did not fit starts the next batch (of whichever worker takes it). */
    private synchronized void carry(Pending<Q, R> p) {
        if (carried == null) {
            carried = p;
        } else if (!queue.offer(p)) {
            p.result().completeExceptionally(new ServingException(Status.Code.RESOURCE_EXHAUSTED, name
                    + " queue is full; retry later"));
        }
    }

    private synchronized Pending<Q, R> takeCarried() {
        Pending<Q, R> p = carried;
        carried = null;
        return p;
    }

    /**
     * Stops taking requests; the workers still run what is queued, then exit. Does not wait for them, so it may
     * be called from any thread, a worker's or an I/O thread included.
     */
    @Override
    public void close() {
        closed = true;
    }
}
