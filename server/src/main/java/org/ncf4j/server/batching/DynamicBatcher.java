package org.ncf4j.server.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;

/**
 * Combines concurrent requests into model runs, with Triton's knobs: a run holds at most {@code maxBatchUnits}
 * units (users or pairs), a batch's first request waits at most {@code maxQueueDelay} for others, and at most
 * {@code maxQueueSize} calls wait (beyond: RESOURCE_EXHAUSTED, at once). Requests whose caller gave up
 * (deadline) are dropped before they run, and every run holds the {@link RunGuard} (the model's sessions) itself.
 *
 * <p>Admission is decided once per call, before any of it is queued, in count and in time ({@link Admission}). A
 * bulk call ({@link #admitAll}) is admitted whole or refused whole; its parts are then queued as its caller goes,
 * and a part that fails cancels the rest ({@link Bulk#cancel}). Requests that are not run because their call gave
 * up, timed out or was cancelled are counted ({@link RunObserver#dropped}).
 *
 * <p>Without a queue delay, requests that arrive on an I/O loop's thread ({@link IoLoops}) are not handed to
 * another thread when that can be avoided, since a hand-off costs more than a small model run on some machines.
 * When the model is idle and its runs are short ({@code maxInlineNanos}), the first request of a pass over the
 * sockets runs at once on that thread; requests that arrive later in the same pass (a burst on one connection) are
 * collected and, once the pass ends, handed to the batch workers together, which batch them and leave the I/O
 * thread free to read and write. A lone call thus costs the round trip and the model, and calls that overlap are
 * batched; the workers complete their answers back on the I/O threads that received them. Requests from other
 * threads run in the caller's thread under the same rule (nothing waiting or running), else on the workers.
 *
 * @param <Q> a request
 * @param <R> its result
 */
public final class DynamicBatcher<Q, R> implements AutoCloseable {
    /** One I/O loop's current pass: whether a request has arrived in it, and those collected after the first. */
    private final class LoopBatch implements Runnable {
        final List<Pending<Q, R>> collected = new ArrayList<>();
        boolean inPass;

        @Override
        public void run() {
            inPass = false;
            List<Pending<Q, R>> all = new ArrayList<>(collected);
            collected.clear();
            flush(all);
        }
    }

    private final String name;
    private final BatchSettings settings;
    final ToIntFunction<Q> size;
    private final BatchCall<Q, R> call;
    private final RunObserver observer;
    private final RunGuard guard;
    final IoLoops loops;
    private final LinkedBlockingQueue<Pending<Q, R>> queue = new LinkedBlockingQueue<>();
    /** What waits, and whether a call may join it. */
    final Admission admission;
    /** Model runs in progress, at most one per worker. */
    private final Semaphore runs;
    private final ThreadLocal<LoopBatch> loopBatch = new ThreadLocal<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    /** Smoothed duration of recent runs (nanoseconds), for the inline decision. */
    private volatile long typicalRunNanos;

    /**
     * @param name for thread names and messages
     * @param settings batching settings
     * @param expectedRunNanos how long a run is expected to take until runs have been timed (a warm-up's time)
     * @param size the units of a request
     * @param call runs a batch
     * @param observer told about each run (may be null)
     * @param guard held around each run (may be null)
     * @param loops tells whether a request's caller is an I/O loop, and whether its call was cancelled (may be null:
     *     none is)
     */
    public DynamicBatcher(String name, BatchSettings settings, long expectedRunNanos, ToIntFunction<Q> size,
                          BatchCall<Q, R> call, RunObserver observer, RunGuard guard, IoLoops loops) {
        this.name = name;
        this.settings = settings;
        this.size = size;
        this.call = call;
        this.observer = observer == null ? RunObserver.NONE : observer;
        this.guard = guard == null ? RunGuard.NONE : guard;
        this.loops = loops == null ? IoLoops.NONE : loops;
        this.runs = new Semaphore(settings.workers());
        this.admission = new Admission(name, settings, expectedRunNanos);
        this.typicalRunNanos = expectedRunNanos;
        for (int w = 0; w < settings.workers(); w++) {
            Thread t = new Thread(this::work, name + "-batcher-" + w);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Submits a request; the future completes with its result or a {@link ServingException}: OVERLOADED when the
     * queue is full, DEADLINE_EXCEEDED when {@code timeoutNanos} (Long.MAX_VALUE: none) passes first, UNAVAILABLE
     * when the batcher is closed, or the run's own failure. It may already be complete when returned (a request
     * that ran in the caller's thread).
     */
    public CompletableFuture<R> submitAsync(Q request, long timeoutNanos) {
        int units = size.applyAsInt(request);
        ServingException refused = closed ? refusal() : admission.admit(units, timeoutNanos, true);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        Pending<Q, R> p = new Pending<>(request, units, loops.current(), loops.cancellation(), false);
        if (settings.maxQueueDelayNanos() == 0 && inlineAllowed()) {
            Executor loop = p.origin;
            if (loop != null) {
                collect(loop, p);
            } else if (idle() && runs.tryAcquire()) {
                runHere(List.of(p));
            } else {
                enqueue(p);
            }
        } else {
            enqueue(p);
        }
        return answer(p, timeoutNanos);
    }

    /**
     * Admits a bulk call's requests as one call, or refuses them all with OVERLOADED (UNAVAILABLE when closed),
     * thrown at once with nothing queued. The call then queues its requests in parts ({@link Bulk#submit}), which
     * always go to the workers, and closes the admission when done (what it never queued is given back).
     */
    public Bulk<Q, R> admitAll(List<Q> requests, long timeoutNanos) {
        long units = 0;
        for (Q q : requests) {
            units += size.applyAsInt(q);
        }
        ServingException refused = closed ? refusal() : admission.admit(units, timeoutNanos, false);
        if (refused != null) {
            throw refused;
        }
        return new Bulk<>(this, units);
    }

    /** Why any call would be refused now, whatever its size (see {@link Admission#busy}), or null. */
    public ServingException busy() {
        return closed ? null : admission.busy();
    }

    /** Why a request is not taken, or not run: the batcher is closing (when not, admission says why). */
    private ServingException refusal() {
        return new ServingException(ServingError.UNAVAILABLE, name + " is shutting down");
    }

    /** A request leaves the waiting ones (to run, or dropped); a bulk call's place is left when it closes. */
    private void leave(Pending<Q, R> p) {
        admission.leave(p.units, p.inBulk);
    }

    CompletableFuture<R> answer(Pending<Q, R> p, long timeoutNanos) {
        if (timeoutNanos != Long.MAX_VALUE && !p.result.isDone()) {
            // timing out completes the future, which also drops the request if it has not run yet
            p.result.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
        }
        return p.result.handle((r, e) -> {
            if (e == null) {
                return r;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                throw new ServingException(ServingError.DEADLINE_EXCEEDED, "the deadline passed while " + name
                        + " was queued or running");
            }
            // a run's failure was made a ServingException where it happened (see failure); anything else is ours
            throw cause instanceof ServingException s ? s : failure(cause);
        });
    }

    /**
     * Nothing waits and nothing runs: a request can run at once without delaying another. Under load requests
     * are left to the workers instead, where they are batched (a run of a few users costs less per user than a
     * run of one).
     */
    private boolean idle() {
        return queue.isEmpty() && runs.availablePermits() == settings.workers();
    }

    /** Whether runs are short enough to run on the caller's thread. */
    private boolean inlineAllowed() {
        return typicalRunNanos <= settings.maxInlineNanos();
    }

    /**
     * A request received on an I/O thread. The first of a pass runs at once when the model is idle: a lone call
     * waits for nothing. Later ones of the same pass (a burst on one connection) are collected and run together
     * when the pass ends, the end being marked by a task queued on the loop, which runs after the rest of what
     * the loop read.
     */
    private void collect(Executor loop, Pending<Q, R> p) {
        LoopBatch batch = loopBatch.get();
        if (batch == null) {
            batch = new LoopBatch();
            loopBatch.set(batch);
        }
        if (!batch.inPass) {
            try {
                loop.execute(batch);
                batch.inPass = true;
            } catch (RejectedExecutionException e) {
                enqueue(p); // the loop is shutting down: the workers take it
                return;
            }
            if (idle() && runs.tryAcquire()) {
                runHere(List.of(p));
                return;
            }
        }
        batch.collected.add(p);
    }

    /**
     * At the end of an I/O pass: a single request runs here when the model is idle; several (a burst) go to the
     * workers, which batch them and leave this thread free to read and write while they run.
     */
    private void flush(List<Pending<Q, R>> all) {
        all.removeIf(p -> {
            if (p.givenUp()) {
                leave(p);
                observer.dropped(p.dropReason(), 1);
                return true;
            }
            return false;
        });
        if (all.isEmpty()) {
            return;
        }
        if (all.size() == 1 && !closed && inlineAllowed() && idle() && runs.tryAcquire()) {
            runHere(all);
        } else {
            all.forEach(this::enqueue);
        }
    }

    /** Runs requests in the current thread, which holds a run permit; execute releases it. */
    private void runHere(List<Pending<Q, R>> batch) {
        batch.forEach(this::leave);
        execute(batch, true);
    }

    void enqueue(Pending<Q, R> p) {
        queue.add(p);
        if (closed && queue.remove(p)) {
            // closed between admission and queueing: close() may already have drained the queue
            leave(p);
            p.result.completeExceptionally(refusal());
        }
    }

    /** A run's failure for its callers; the server's own failures name the model and call type that failed. */
    private ServingException failure(Throwable e) {
        if (e instanceof CancellationException) { // its client cancelled the call: the answer goes to no one
            return new ServingException(ServingError.UNAVAILABLE, name + ": " + e.getMessage());
        }
        if (e instanceof ServingException s) {
            return s.error() != ServingError.INTERNAL ? s : new ServingException(ServingError.INTERNAL, name
                    + " failed: " + s.getMessage(), s.getCause() != null ? s.getCause() : s);
        }
        return new ServingException(ServingError.INTERNAL, name + " failed: " + e.getClass().getSimpleName(), e);
    }

    private void work() {
        Pending<Q, R> carried = null;
        while (!closed) {
            List<Pending<Q, R>> batch = new ArrayList<>();
            Pending<Q, R> first = carried;
            carried = null; // taken into the batch below: it has left what waits
            try {
                carried = collectBatch(first, batch);
                if (batch.isEmpty()) {
                    continue;
                }
                runs.acquire();
            } catch (InterruptedException e) {
                batch.forEach(p -> p.result.completeExceptionally(refusal()));
                break;
            }
            execute(batch, false);
        }
        if (carried != null) {
            leave(carried);
            carried.result.completeExceptionally(refusal());
        }
    }

    /**
     * Fills {@code batch} with the first waiting request (the one carried over from the last batch, if any) and
     * others until the size or the delay is reached; returns the request that did not fit, which starts this
     * worker's next batch.
     */
    private Pending<Q, R> collectBatch(Pending<Q, R> carried, List<Pending<Q, R>> batch)
            throws InterruptedException {
        Pending<Q, R> first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        int units = take(batch, first, 0);
        long deadline = first.queuedAt + settings.maxQueueDelayNanos();
        while (units < settings.maxBatchUnits()) {
            long left = deadline - System.nanoTime();
            Pending<Q, R> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (!batch.isEmpty() && units + next.units > settings.maxBatchUnits()) {
                return next;
            }
            units = take(batch, next, units);
        }
        return null;
    }

    /** Adds a request to the batch unless its caller already gave up; it no longer counts as waiting. */
    private int take(List<Pending<Q, R>> batch, Pending<Q, R> p, int units) {
        leave(p);
        if (p.givenUp()) {
            observer.dropped(p.dropReason(), 1);
            return units;
        }
        batch.add(p);
        return units + p.units;
    }

    /**
     * One model run, holding the guard and the run permit the caller acquired. The permit is released and the run
     * recorded before any request's future completes, so a caller that sends its next request once it has its
     * answer finds the model idle (and may run there at once), and the metrics already count the run it waited for.
     */
    private void execute(List<Pending<Q, R>> requested, boolean inline) {
        List<Pending<Q, R>> batch = new ArrayList<>(requested.size());
        for (Pending<Q, R> p : requested) {
            if (!p.givenUp()) { // not those whose caller gave up while this waited for a run slot
                batch.add(p);
            } else {
                observer.dropped(p.dropReason(), 1);
            }
        }
        if (batch.isEmpty()) {
            runs.release();
            return;
        }
        List<R> results = null;
        ServingException failure = null;
        long start = System.nanoTime();
        try (AutoCloseable hold = guard.enter()) {
            if (hold == null) {
                throw new ServingException(ServingError.UNAVAILABLE, name + " was unloaded; retry");
            }
            List<Q> requests = new ArrayList<>(batch.size());
            batch.forEach(p -> requests.add(p.request));
            results = call.run(requests);
        } catch (Throwable e) {
            failure = failure(e);
        } finally {
            runs.release();
        }
        long took = System.nanoTime() - start;
        long typical = typicalRunNanos;
        typicalRunNanos = typical + (took - typical) / 8;
        if (failure == null) {
            admission.ran(took, batch.stream().mapToLong(p -> p.units).sum());
        }
        try {
            observer.batch(batch.size(), start - batch.get(0).queuedAt, took, inline);
        } finally {
            Pending.complete(batch, results, failure, inline);
        }
    }

    /**
     * Stops taking requests and fails those still waiting with UNAVAILABLE; the workers end after their current
     * run (within 100 ms when idle). Does not wait for them, so it may be called from any thread, a worker's
     * included.
     */
    @Override
    public void close() {
        closed = true;
        for (Pending<Q, R> p; (p = queue.poll()) != null; ) {
            leave(p);
            p.result.completeExceptionally(refusal());
            observer.dropped("closed", 1);
        }
    }
}
