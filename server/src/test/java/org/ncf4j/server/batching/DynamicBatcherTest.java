package org.ncf4j.server.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DynamicBatcherTest {
    private static final long NO_DELAY = 0;
    private static final long DELAY = TimeUnit.MILLISECONDS.toNanos(50);

    /** A batch call that holds its run until released, so a test can act while a run is in progress. */
    private static final class Gate implements BatchCall<Integer, Integer> {
        private final CountDownLatch running = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        @Override
        public List<Integer> run(List<Integer> batch) throws InterruptedException {
            running.countDown();
            release.await();
            return batch;
        }

        void awaitRunning() throws InterruptedException {
            assertTrue(running.await(5, TimeUnit.SECONDS), "no run started");
        }

        void open() {
            release.countDown();
        }
    }

    /**
     * Settings under which any run may run on its caller's thread: where a run goes then depends on the batcher's
     * state only (idle or not, a pass of an I/O loop or not), never on how long earlier runs took on this machine,
     * which a busy machine stretches past {@link BatchSettings#MAX_INLINE_NANOS}.
     */
    private static BatchSettings settings(int units, long delay, int queue, int workers) {
        return new BatchSettings(units, delay, queue, workers, Long.MAX_VALUE);
    }

    private static <R> DynamicBatcher<Integer, R> batcher(BatchSettings s,
                                                          BatchCall<Integer, R> call) {
        return new DynamicBatcher<>("t", s, 0, q -> q, call, null, null, null);
    }

    /** Waits for a request's result, rethrowing its failure (always a ServingException). */
    private static <Q, R> R submit(DynamicBatcher<Q, R> b, Q request, long timeoutNanos) {
        try {
            return b.submitAsync(request, timeoutNanos).join();
        } catch (CompletionException e) {
            throw (ServingException) e.getCause();
        }
    }

    /** Submits from another thread, so that a request that runs in its caller's thread does not block the test. */
    private static <R> CompletableFuture<R> inBackground(DynamicBatcher<Integer, R> b, int request) {
        return CompletableFuture.supplyAsync(() -> b.submitAsync(request, Long.MAX_VALUE)).thenCompose(f -> f);
    }

    @Test
    void concurrentRequestsShareABatchAndGetTheirOwnResults() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", settings(8, DELAY, 100, 1), 0, q -> 1,
                batch -> {
                    sizes.add(batch.size());
                    return batch.stream().map(x -> x * 10).toList();
                }, null, null, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int x = i;
                results.add(pool.submit(() -> submit(b, x, Long.MAX_VALUE)));
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(i * 10, results.get(i).get(10, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertTrue(sizes.stream().anyMatch(s -> s > 1), "never batched: " + sizes);
            assertTrue(sizes.stream().allMatch(s -> s <= 8), sizes.toString());
        }
    }

    @Test
    void aBatchNeverExceedsTheMaximumSizeInUnits() throws Exception {
        List<Integer> units = new CopyOnWriteArrayList<>();
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(10, DELAY, 100, 1), batch -> {
            units.add(batch.stream().mapToInt(Integer::intValue).sum());
            return batch;
        })) {
            ExecutorService pool = Executors.newFixedThreadPool(7);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> submit(b, 4, Long.MAX_VALUE)));
            }
            results.add(pool.submit(() -> submit(b, 25, Long.MAX_VALUE))); // larger than a batch: runs alone
            for (Future<Integer> f : results) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertTrue(units.stream().allMatch(u -> u <= 10 || u == 25), units.toString());
        }
    }

    @Test
    void aFullQueueIsOverloadedAtOnce() throws Exception {
        Gate gate = new Gate();
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(1, DELAY, 1, 1), gate)) {
            CompletableFuture<Integer> first = b.submitAsync(1, Long.MAX_VALUE);
            gate.awaitRunning();
            CompletableFuture<Integer> queued = b.submitAsync(1, Long.MAX_VALUE);
            ServingException e = assertThrows(ServingException.class, () -> submit(b, 1, Long.MAX_VALUE));
            assertEquals(ServingError.OVERLOADED, e.error());
            assertTrue(e.getMessage().contains("queue is full"), e.getMessage());
            gate.open();
            assertEquals(1, first.get(5, TimeUnit.SECONDS));
            assertEquals(1, queued.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRequestCarriedOverToTheNextBatchIsNeverRefused() throws Exception {
        Gate gate = new Gate();
        // room for two waiting requests; batches of three units, so the second waiting request (2 + 2 > 3) is
        // carried over to the worker's next batch, which must not count it against the queue again
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(3, NO_DELAY, 2, 1), gate)) {
            CompletableFuture<Integer> running = inBackground(b, 1);
            gate.awaitRunning();
            CompletableFuture<Integer> second = b.submitAsync(2, Long.MAX_VALUE);
            CompletableFuture<Integer> third = b.submitAsync(2, Long.MAX_VALUE);
            gate.open();
            assertEquals(1, running.get(5, TimeUnit.SECONDS));
            assertEquals(2, second.get(5, TimeUnit.SECONDS));
            assertEquals(2, third.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aDeadlineThatPassesInTheQueueIsDeadlineExceeded() throws Exception {
        Gate gate = new Gate();
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(1, NO_DELAY, 10, 1), gate)) {
            CompletableFuture<Integer> blocker = inBackground(b, 1);
            gate.awaitRunning();
            ServingException e = assertThrows(ServingException.class,
                    () -> submit(b, 2, TimeUnit.MILLISECONDS.toNanos(50)));
            assertEquals(ServingError.DEADLINE_EXCEEDED, e.error());
            gate.open();
            blocker.get(5, TimeUnit.SECONDS);
        }
    }

    /** Counts dropped requests by reason. */
    private static final class Drops implements RunObserver {
        final java.util.Map<String, Integer> byReason = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void batch(int requests, long queuedNanos, long runNanos, boolean inline) {
        }

        @Override
        public void dropped(String reason, int requests) {
            byReason.merge(reason, requests, Integer::sum);
        }

        /**
         * Waits up to 5 s for {@code n} drops for {@code reason}: a worker completes a dropped request's future
         * before it counts the drop, so the test may see the answer first.
         */
        java.util.Map<String, Integer> await(String reason, int n) throws InterruptedException {
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); byReason.getOrDefault(reason, 0) < n
                    && System.nanoTime() < until; ) {
                Thread.sleep(5);
            }
            return byReason;
        }
    }

    @Test
    void anExpiredRequestIsNotRunAndIsCountedAsDropped() throws Exception {
        Gate gate = new Gate();
        Drops drops = new Drops();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", settings(1, NO_DELAY, 10, 1), 0, q -> q,
                batch -> {
                    ran.addAll(batch);
                    return gate.run(batch);
                }, drops, null, null)) {
            CompletableFuture<Integer> blocker = inBackground(b, 1);
            gate.awaitRunning();
            CompletableFuture<Integer> expires = b.submitAsync(2, TimeUnit.MILLISECONDS.toNanos(30));
            ServingException e = assertThrows(ServingException.class, () -> {
                try {
                    expires.join();
                } catch (CompletionException x) {
                    throw x.getCause();
                }
            });
            assertEquals(ServingError.DEADLINE_EXCEEDED, e.error());
            gate.open();
            blocker.get(5, TimeUnit.SECONDS);
            assertEquals(1, b.submitAsync(1, Long.MAX_VALUE).get(5, TimeUnit.SECONDS));
            // the worker that held it counts it when it next looks (it may look after the last request ran)
            assertEquals(java.util.Map.of("deadline", 1), drops.await("deadline", 1));
            assertEquals(List.of(1, 1), ran, "the expired request never ran");
        }
    }

    @Test
    void aRequestWhoseClientCancelledIsNotRunAndIsCountedAsDropped() throws Exception {
        Gate gate = new Gate();
        Drops drops = new Drops();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        // the transport says whether the current call was cancelled: here, requests submitted while 'calls' is
        // set belong to a call that its client cancels later
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean inCall = new AtomicBoolean();
        IoLoops transport = new IoLoops() {
            @Override
            public java.util.concurrent.Executor current() {
                return null;
            }

            @Override
            public java.util.function.BooleanSupplier cancellation() {
                return inCall.get() ? cancelled::get : NOT_CANCELLED;
            }
        };
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", settings(1, NO_DELAY, 10, 1), 0, q -> q,
                batch -> {
                    ran.addAll(batch);
                    return gate.run(batch);
                }, drops, null, transport)) {
            CompletableFuture<Integer> blocker = inBackground(b, 1);
            gate.awaitRunning();
            inCall.set(true);
            CompletableFuture<Integer> single = b.submitAsync(2, Long.MAX_VALUE);
            List<CompletableFuture<Integer>> parts;
            try (Bulk<Integer, Integer> bulk = b.admitAll(List.of(3, 4), Long.MAX_VALUE)) {
                parts = bulk.submit(List.of(3, 4), Long.MAX_VALUE);
            }
            inCall.set(false);
            cancelled.set(true);
            gate.open();
            blocker.get(5, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> f : List.of(single, parts.get(0), parts.get(1))) {
                ServingException e = assertThrows(ServingException.class, () -> {
                    try {
                        f.get(5, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException x) {
                        throw x.getCause();
                    }
                });
                assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
            }
            assertEquals(5, b.submitAsync(5, Long.MAX_VALUE).get(5, TimeUnit.SECONDS), "other calls run");
            assertEquals(List.of(1, 5), ran, "the cancelled call's requests never ran");
            assertEquals(java.util.Map.of("cancelled", 3), drops.await("cancelled", 3));
        }
    }

    @Test
    void aBulkCallThatDoesNotFitIsRefusedWholeBeforeAnyOfItIsQueued() throws Exception {
        Gate gate = new Gate();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        // room for one waiting call
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", settings(1, NO_DELAY, 1, 1), 0, q -> 1,
                batch -> {
                    ran.addAll(batch);
                    return gate.run(batch);
                }, null, null, null)) {
            CompletableFuture<Integer> running = inBackground(b, 1);
            gate.awaitRunning();
            // a bulk call takes one place, however many requests it queues, until it closes
            Bulk<Integer, Integer> admitted = b.admitAll(List.of(3, 4, 5), Long.MAX_VALUE);
            List<CompletableFuture<Integer>> bulk = admitted.submit(List.of(3, 4, 5), Long.MAX_VALUE);
            // the queue is full now: a bulk call of any size is refused whole, at once
            ServingException e = assertThrows(ServingException.class, () -> b.admitAll(List.of(6, 7),
                    Long.MAX_VALUE));
            assertEquals(ServingError.OVERLOADED, e.error());
            assertTrue(e.getMessage().contains("queue is full") && e.getMessage().contains("retry"),
                    e.getMessage());
            gate.open();
            assertEquals(1, running.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                assertEquals(3 + i, bulk.get(i).get(5, TimeUnit.SECONDS));
            }
            admitted.close();
            assertEquals(List.of(1, 3, 4, 5), ran, "nothing of the refused call ran");
            // its place given back, another bulk call is admitted
            try (Bulk<Integer, Integer> next = b.admitAll(List.of(6), Long.MAX_VALUE)) {
                assertEquals(6, next.submit(List.of(6), Long.MAX_VALUE).get(0).get(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aCallThatWouldAnswerAfterItsDeadlineIsRefusedAtOnce() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        // runs of at least 40 ms a unit, measured from real runs; a request of 0 units holds its run until released;
        // batches of one unit, so that what is queued behind the held run stays queued
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(1, NO_DELAY, 100, 1), batch -> {
            ran.addAll(batch);
            if (batch.contains(0)) {
                release.await();
            }
            Thread.sleep(40L * batch.stream().mapToInt(Integer::intValue).sum());
            return batch;
        })) {
            for (int i = 0; i < 3; i++) {
                assertEquals(1, b.submitAsync(1, Long.MAX_VALUE).get(5, TimeUnit.SECONDS));
            }
            CompletableFuture<Integer> held = inBackground(b, 0);
            while (!ran.contains(0)) {
                Thread.sleep(1);
            }
            // two requests of one unit: the worker takes the first to wait for the run slot (a batch holds one
            // unit), the second waits in the queue (were both taken, nothing would be queued ahead: no refusal)
            CompletableFuture<Integer> second = b.submitAsync(1, Long.MAX_VALUE);
            CompletableFuture<Integer> third = b.submitAsync(1, Long.MAX_VALUE);
            // with at least one unit ahead, 5 units (240 ms of runs at least) cannot end within a deadline of
            // 100 ms: refused, never run (a call that waited would fail with DEADLINE_EXCEEDED instead)
            ServingException e = assertThrows(ServingException.class, () -> submit(b, 5,
                    TimeUnit.MILLISECONDS.toNanos(100)));
            assertEquals(ServingError.OVERLOADED, e.error());
            assertTrue(e.getMessage().contains("after the call's deadline"), e.getMessage());
            release.countDown();
            assertEquals(0, held.get(5, TimeUnit.SECONDS));
            assertEquals(1, second.get(5, TimeUnit.SECONDS));
            assertEquals(1, third.get(5, TimeUnit.SECONDS));
            assertFalse(ran.contains(5), "the refused call never ran");
            // on an idle batcher a call is never refused for time: nothing is ahead of it
            assertEquals(2, b.submitAsync(2, TimeUnit.MILLISECONDS.toNanos(50)).handle((r, x) -> 2)
                    .get(5, TimeUnit.SECONDS));
            assertTrue(ran.contains(2), "admitted and run (its own deadline may pass while it runs)");
        }
    }

    @Test
    void beforeAnyRunIsTimedTheLoadTimeRunIsExpectedAndTheBatcherSaysWhenItIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        // no run timed yet: a unit is expected to take 80 ms (the load-time run); room for 60 ms of expected wait
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("busy", new BatchSettings(1, NO_DELAY, 100, 1,
                Long.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(60)), TimeUnit.MILLISECONDS.toNanos(80), q -> q,
                batch -> {
                    holding.countDown();
                    release.await();
                    return batch;
                }, null, null, null)) {
            assertNull(b.busy(), "nothing waits");
            CompletableFuture<Integer> held = inBackground(b, 1);
            assertTrue(holding.await(5, TimeUnit.SECONDS));
            // the worker takes the next request and waits for the run slot (parked): nothing is queued then
            CompletableFuture<Integer> taken = b.submitAsync(1, Long.MAX_VALUE);
            Thread worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("busy-batcher-0")).findFirst().orElseThrow();
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); worker.getState()
                    != Thread.State.WAITING && System.nanoTime() < until; ) {
                Thread.sleep(1);
            }
            assertEquals(Thread.State.WAITING, worker.getState(), "the worker waits for the run slot");
            assertNull(b.busy(), "nothing queued");
            CompletableFuture<Integer> queued = b.submitAsync(1, Long.MAX_VALUE);
            assertFalse(queued.isDone(), "admitted: nothing was queued ahead of it");
            // one unit queued, 80 ms expected: beyond 60 ms, any call is refused now (with no expectation, none is)
            ServingException busy = b.busy();
            assertNotNull(busy, "any call would be refused now");
            assertEquals(ServingError.OVERLOADED, busy.error());
            assertTrue(busy.getMessage().contains("ncf.max-queue-wait") && busy.getMessage().contains("retry"),
                    busy.getMessage());
            assertTrue(b.submitAsync(1, Long.MAX_VALUE).isCompletedExceptionally(), "refused");
            release.countDown();
            assertEquals(1, held.get(5, TimeUnit.SECONDS));
            assertEquals(1, taken.get(5, TimeUnit.SECONDS));
            assertEquals(1, queued.get(5, TimeUnit.SECONDS));
            assertNull(b.busy(), "nothing waits again");
        }
    }

    @Test
    void whatWaitsIsBoundedInTimeNotOnlyInCount() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runsSoFar = new AtomicInteger();
        // room for 100 calls, but for 115 ms of expected wait only; runs of 40 ms a unit (up to 57 ms on a busy
        // machine: two units fit, three do not)
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", new BatchSettings(1, NO_DELAY, 100, 1,
                Long.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(115)), 0, q -> q, batch -> {
                    if (runsSoFar.incrementAndGet() > 2) {
                        release.await(); // the third run holds the worker while the test fills the queue
                    }
                    Thread.sleep(40);
                    return batch;
                }, null, null, null)) {
            for (int i = 0; i < 2; i++) {
                assertEquals(1, b.submitAsync(1, Long.MAX_VALUE).get(5, TimeUnit.SECONDS));
            }
            CompletableFuture<Integer> held = inBackground(b, 1);
            while (runsSoFar.get() < 3) {
                Thread.sleep(1);
            }
            // calls without a deadline, admitted until what waits is 115 ms of runs (the worker may have taken one
            // of them to wait for its run slot, so three or four): the next is refused at once
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            CompletableFuture<Integer> refused = null;
            while (refused == null && queued.size() < 10) {
                CompletableFuture<Integer> f = b.submitAsync(1, Long.MAX_VALUE);
                if (f.isCompletedExceptionally()) {
                    refused = f;
                } else {
                    queued.add(f);
                }
            }
            assertTrue(queued.size() >= 3 && queued.size() <= 4, queued.size() + " calls admitted");
            CompletableFuture<Integer> r = refused;
            ServingException e = assertThrows(ServingException.class, () -> {
                try {
                    r.join();
                } catch (CompletionException x) {
                    throw x.getCause();
                }
            });
            assertEquals(ServingError.OVERLOADED, e.error());
            assertTrue(e.getMessage().contains("ncf.max-queue-wait") && e.getMessage().contains("retry"),
                    e.getMessage());
            release.countDown();
            assertEquals(1, held.get(5, TimeUnit.SECONDS));
            for (CompletableFuture<Integer> f : queued) {
                assertEquals(1, f.get(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aBulkCallWhosePartFailedDropsItsOtherRequestsUnrun() throws Exception {
        Gate gate = new Gate();
        Drops drops = new Drops();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", settings(1, NO_DELAY, 10, 1), 0, q -> 1,
                batch -> {
                    ran.addAll(batch);
                    return gate.run(batch);
                }, drops, null, null)) {
            CompletableFuture<Integer> running = inBackground(b, 1);
            gate.awaitRunning();
            List<CompletableFuture<Integer>> parts;
            try (Bulk<Integer, Integer> bulk = b.admitAll(List.of(2, 3, 4), Long.MAX_VALUE)) {
                parts = bulk.submit(List.of(2, 3, 4), Long.MAX_VALUE);
                bulk.cancel(); // as a caller does when one part failed
            }
            gate.open();
            assertEquals(1, running.get(5, TimeUnit.SECONDS));
            assertTrue(parts.stream().allMatch(CompletableFuture::isCompletedExceptionally));
            assertEquals(1, b.submitAsync(1, Long.MAX_VALUE).get(5, TimeUnit.SECONDS));
            assertEquals(List.of(1, 1), ran, "no request of the failed call ran");
            assertEquals(java.util.Map.of("cancelled", 3), drops.await("cancelled", 3));
        }
    }

    @Test
    void aLoneRequestRunsInItsCallersThread() {
        try (DynamicBatcher<Integer, String> b = batcher(settings(4, NO_DELAY, 10, 1),
                batch -> List.of(Thread.currentThread().getName()))) {
            assertEquals(Thread.currentThread().getName(), submit(b, 1, Long.MAX_VALUE));
        }
    }

    /**
     * The model is free again before a caller hears its answer: a request sent on being answered runs at once.
     * (The run waits for the test to listen, however long that takes: the settings let runs of any length run
     * inline, so the time it took cannot send the next request to the queue.)
     */
    @Test
    void aRequestSentOnBeingAnsweredFindsTheModelIdle() throws Exception {
        CountDownLatch listening = new CountDownLatch(1);
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(4, NO_DELAY, 10, 1), batch -> {
            if (batch.contains(1)) {
                listening.await(); // until the test listens for this run's answer
            }
            return batch;
        })) {
            CompletableFuture<Boolean> nextRanAtOnce = new CompletableFuture<>();
            // a bulk call goes to the worker, which completes it in its own thread, running the callback there
            Bulk<Integer, Integer> bulk = b.admitAll(List.of(1), Long.MAX_VALUE);
            bulk.submit(List.of(1), Long.MAX_VALUE).get(0).whenComplete((r, e) -> {
                bulk.close();
                nextRanAtOnce.complete(b.submitAsync(2, Long.MAX_VALUE).isDone());
            });
            listening.countDown();
            assertTrue(nextRanAtOnce.get(5, TimeUnit.SECONDS), "the next request was queued instead of run at once");
        }
    }

    @Test
    void onAnEventLoopALoneRequestRunsAtOnceAndABurstGoesBatchedToTheWorkers() throws Exception {
        // an I/O loop: one thread running its tasks in order
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "io-loop"));
        Thread loopThread = loop.submit(Thread::currentThread).get();
        IoLoops loops = () -> Thread.currentThread() == loopThread ? loop : null;
        List<String> runs = new CopyOnWriteArrayList<>();
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<>("t", settings(2, NO_DELAY, 10, 1), 0,
                q -> 1, batch -> {
                    String where = Thread.currentThread().getName() + " x" + batch.size();
                    runs.add(where);
                    return batch.stream().map(x -> where).toList();
                }, null, null, loops)) {
            // a lone request: runs at once on the loop's thread
            assertEquals("io-loop x1", loop.submit(() -> b.submitAsync(1, Long.MAX_VALUE)).get()
                    .get(5, TimeUnit.SECONDS));
            // five in one pass: the first runs at once; the four after it go to the worker, batched, leaving the
            // loop free to read and write while they run, and are answered on the loop
            List<String> answeredOn = new CopyOnWriteArrayList<>();
            List<CompletableFuture<String>> five = loop.submit(() -> {
                List<CompletableFuture<String>> out = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    out.add(b.submitAsync(i, Long.MAX_VALUE).whenComplete((r, e) ->
                            answeredOn.add(Thread.currentThread().getName())));
                }
                assertTrue(out.get(0).isDone(), "the first of a pass runs at once");
                assertFalse(out.get(1).isDone(), "later ones wait for the end of the pass");
                return out;
            }).get();
            assertEquals("io-loop x1", five.get(0).get(5, TimeUnit.SECONDS));
            for (int i = 1; i < 5; i++) {
                assertTrue(five.get(i).get(5, TimeUnit.SECONDS).startsWith("t-batcher-0"), five.get(i).get());
            }
            assertEquals(List.of("io-loop"), answeredOn.stream().distinct().toList(), "answers completed off the loop");
            // a lone request of a later pass, with the model idle, runs on the loop again (the worker gave its run
            // back before answering: aRequestSentOnBeingAnsweredFindsTheModelIdle)
            assertEquals("io-loop x1", loop.submit(() -> b.submitAsync(9, Long.MAX_VALUE)).get()
                    .get(5, TimeUnit.SECONDS));
        } finally {
            loop.shutdownNow();
        }
    }

    @Test
    void aRequestFromALoopThatIsShuttingDownStillRunsAndIsAnswered() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "io-loop"));
        Thread loopThread = loop.submit(Thread::currentThread).get();
        // the loop refuses new tasks (shutting down) while the task at hand still runs on its thread
        ExecutorService refusing = Executors.newSingleThreadExecutor();
        refusing.shutdown();
        IoLoops loops = () -> Thread.currentThread() == loopThread ? refusing : null;
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<>("t", settings(2, NO_DELAY, 10, 1), 0,
                q -> 1, batch -> batch.stream().map(x -> Thread.currentThread().getName()).toList(), null, null,
                loops)) {
            // the end of its pass cannot be marked on the loop: the workers take it
            assertTrue(loop.submit(() -> b.submitAsync(1, Long.MAX_VALUE)).get().get(5, TimeUnit.SECONDS)
                    .startsWith("t-batcher-"));
        } finally {
            loop.shutdownNow();
        }
    }

    @Test
    void aModelWhoseRunsAreLongNeverRunsOnTheCallersThread() throws Exception {
        long longRun = BatchSettings.MAX_INLINE_NANOS * 3;
        BatchSettings s = new BatchSettings(4, NO_DELAY, 10, 1, BatchSettings.MAX_INLINE_NANOS);
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<>("t", s, longRun,
                q -> 1, batch -> List.of(Thread.currentThread().getName()), null, null, null)) {
            assertTrue(submit(b, 1, Long.MAX_VALUE).startsWith("t-batcher-"), "a slow model stays off the caller");
        }
    }

    @Test
    void closingFailsWhatWaitsAndEveryRequestRacingTheCloseCompletes() throws Exception {
        for (int round = 0; round < 20; round++) {
            DynamicBatcher<Integer, Integer> b = batcher(settings(4, TimeUnit.MILLISECONDS.toNanos(5), 1000, 2),
                    batch -> batch);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<CompletableFuture<Integer>>> submitted = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                submitted.add(pool.submit(() -> b.submitAsync(1, Long.MAX_VALUE)));
                if (i == 100) {
                    b.close();
                }
            }
            for (Future<CompletableFuture<Integer>> f : submitted) {
                CompletableFuture<Integer> r = f.get(5, TimeUnit.SECONDS);
                try {
                    assertEquals(1, r.get(5, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertEquals(ServingError.UNAVAILABLE, ((ServingException) e.getCause()).error());
                }
            }
            pool.shutdown();
        }
    }

    @Test
    void aBatcherClosedFromItsOwnWorkerDoesNotWaitForItself() throws Exception {
        // a queue delay sends the request to the worker, which answers it, and so runs the callback, itself
        DynamicBatcher<Integer, Integer> b = batcher(settings(4, 1000, 10, 1), batch -> batch);
        CompletableFuture<Integer> closed = b.submitAsync(7, Long.MAX_VALUE).whenComplete((r, e) -> b.close());
        assertEquals(7, closed.get(5, TimeUnit.SECONDS), "a close waiting for its own worker never returns");
        ServingException e = assertThrows(ServingException.class, () -> submit(b, 8, Long.MAX_VALUE));
        assertEquals(ServingError.UNAVAILABLE, e.error());
    }

    @Test
    void closingReturnsWhileARunIsInProgressWhichStillAnswers() throws Exception {
        Gate gate = new Gate();
        DynamicBatcher<Integer, Integer> b = batcher(settings(4, 1000, 10, 1), gate);
        CompletableFuture<Integer> running = b.submitAsync(1, Long.MAX_VALUE);
        gate.awaitRunning();
        b.close(); // the gate holds the run until after this returns: a close that waited would never return
        assertEquals(ServingError.UNAVAILABLE, assertThrows(ServingException.class,
                () -> submit(b, 2, Long.MAX_VALUE)).error());
        gate.open();
        assertEquals(1, running.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRunHoldsTheGuardAfterItsCallerHasGivenUp() throws Exception {
        AtomicInteger holds = new AtomicInteger();
        CountDownLatch letGo = new CountDownLatch(1);
        RunGuard guard = () -> {
            holds.incrementAndGet();
            return () -> {
                holds.decrementAndGet();
                letGo.countDown();
            };
        };
        Gate gate = new Gate();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", settings(4, 1000, 10, 1), 0, q -> 1,
                gate, null, guard, null)) {
            CompletableFuture<Integer> gaveUp = b.submitAsync(1, TimeUnit.MILLISECONDS.toNanos(200));
            gate.awaitRunning();
            ExecutionException e = assertThrows(ExecutionException.class, () -> gaveUp.get(5, TimeUnit.SECONDS));
            assertEquals(ServingError.DEADLINE_EXCEEDED, ((ServingException) e.getCause()).error());
            assertEquals(1, holds.get(), "the run must still hold what it runs on");
            gate.open();
            assertTrue(letGo.await(5, TimeUnit.SECONDS), "the run never let go of the guard");
            assertEquals(0, holds.get());
        }
    }

    @Test
    void aRunWhoseGuardIsGoneIsUnavailable() {
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", settings(4, NO_DELAY, 10, 1), 0,
                q -> 1, batch -> batch, null, () -> null, null)) {
            ServingException e = assertThrows(ServingException.class, () -> submit(b, 1, Long.MAX_VALUE));
            assertEquals(ServingError.UNAVAILABLE, e.error());
        }
    }

    @Test
    void aFailedBatchFailsEachOfItsRequestsWithoutJavaText() {
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(4, NO_DELAY, 10, 1), batch -> {
            throw new IllegalStateException("boom");
        })) {
            ServingException e = assertThrows(ServingException.class, () -> submit(b, 1, Long.MAX_VALUE));
            assertEquals(ServingError.INTERNAL, e.error());
            assertFalse(e.getMessage().contains("java.lang"), e.getMessage());
            assertEquals("boom", e.getCause().getMessage(), "the cause is kept for the server's log");
        }
    }

    @Test
    void aRunThatFailsInTheRuntimeNamesTheBatcherOnceAndKeepsTheCause() {
        IllegalStateException runtime = new IllegalStateException("the session failed");
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(4, NO_DELAY, 10, 1), batch -> {
            throw new ServingException(ServingError.INTERNAL, "ONNX Runtime failed to run the ranking graph", runtime);
        })) {
            ServingException e = assertThrows(ServingException.class, () -> submit(b, 1, Long.MAX_VALUE));
            assertEquals(ServingError.INTERNAL, e.error());
            assertEquals("t failed: ONNX Runtime failed to run the ranking graph", e.getMessage());
            assertSame(runtime, e.getCause());
        }
    }

    @Test
    void aRefusalOfTheRunReachesTheCallerAsItIs() {
        try (DynamicBatcher<Integer, Integer> b = batcher(settings(4, NO_DELAY, 10, 1), batch -> {
            throw ServingException.invalid("item 7 is not in the catalogue");
        })) {
            ServingException e = assertThrows(ServingException.class, () -> submit(b, 1, Long.MAX_VALUE));
            assertEquals(ServingError.INVALID_REQUEST, e.error());
            assertEquals("item 7 is not in the catalogue", e.getMessage());
        }
    }
}
