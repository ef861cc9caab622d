package org.ncf4j.server.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ncf4j.server.service.ServingException;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DynamicBatcherTest {

    /** A batch call that holds its run until released, so a test can act while a run is in progress. */
    private static final class Gate implements DynamicBatcher.BatchCall<Integer, Integer> {
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

    /** Waits for a request's result, rethrowing its failure (always a ServingException). */
    private static <Q, R> R submit(DynamicBatcher<Q, R> b, Q request, long timeoutNanos) {
        try {
            return b.submitAsync(request, timeoutNanos).join();
        } catch (CompletionException e) {
            throw (ServingException) e.getCause();
        }
    }

    @Test
    void concurrentRequestsShareABatchAndGetTheirOwnResults() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 8, 50_000, 100, 1, q -> 1, batch -> {
            sizes.add(batch.size());
            return batch.stream().map(x -> x * 10).toList();
        }, null, null)) {
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
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 10, 50_000, 100, 1, q -> q, batch -> {
            units.add(batch.stream().mapToInt(Integer::intValue).sum());
            return batch;
        }, null, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
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
    void aFullQueueIsResourceExhausted() throws Exception {
        Gate gate = new Gate();
        // a queue delay keeps every request on the queue (no inline run), so the queue's bound is what is tested
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("model m version 1 Score", 1, 1, 1, 1,
                q -> 1, gate, null, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<Integer> first = pool.submit(() -> submit(b, 1, Long.MAX_VALUE));
            gate.awaitRunning();
            Future<Integer> queued = pool.submit(() -> submit(b, 2, Long.MAX_VALUE));
            Thread.sleep(300); // request 2 now fills the queue
            ServingException e = assertThrows(ServingException.class,
                    () -> submit(b, 3, TimeUnit.SECONDS.toNanos(5)));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code());
            assertTrue(e.getMessage().contains("queue is full"), e.getMessage());
            gate.open();
            assertEquals(1, first.get(5, TimeUnit.SECONDS));
            assertEquals(2, queued.get(5, TimeUnit.SECONDS));
            pool.shutdown();
        }
    }

    @Test
    void aDeadlineThatPassesInTheQueueIsDeadlineExceeded() throws Exception {
        Gate gate = new Gate();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 1, 0, 10, 1, q -> 1, gate, null, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            Future<Integer> blocker = pool.submit(() -> submit(b, 1, Long.MAX_VALUE));
            // the only run slot is taken: the next request has to queue
            gate.awaitRunning();
            ServingException e = assertThrows(ServingException.class,
                    () -> submit(b, 2, TimeUnit.MILLISECONDS.toNanos(50)));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
            gate.open();
            blocker.get(5, TimeUnit.SECONDS);
            pool.shutdown();
        }
    }

    @Test
    void aLoneRequestRunsInItsCallersThread() {
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<>("t", 4, 0, 10, 1, q -> 1,
                batch -> List.of(Thread.currentThread().getName()), null, null)) {
            assertEquals(Thread.currentThread().getName(), submit(b, 1, Long.MAX_VALUE));
        }
    }

    private static void spin(long micros) {
        long until = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void backToBackCallsGoToTheWorkersUntilTheModelHasBeenIdleAsLongAsItsLastRun() throws Exception {
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<>("t", 4, 0, 10, 1, q -> 1, batch -> {
            spin(500);
            return List.of(Thread.currentThread().getName());
        }, null, null)) {
            String caller = Thread.currentThread().getName();
            CompletableFuture<String> first = b.submitAsync(1, Long.MAX_VALUE);
            assertTrue(first.isDone(), "an idle model runs the call in the caller's thread");
            assertEquals(caller, first.get());
            // right after a 0.5 ms run the model counts as busy: the next call is queued for a worker
            CompletableFuture<String> next = b.submitAsync(2, Long.MAX_VALUE);
            assertTrue(next.get(5, TimeUnit.SECONDS).startsWith("t-batcher-"), next.get());
            Thread.sleep(50);
            assertEquals(caller, b.submitAsync(3, Long.MAX_VALUE).get(), "idle again: inline");
        }
    }

    @Test
    void aModelWhoseRunsAreLongNeverRunsInline() throws Exception {
        long longRun = TimeUnit.NANOSECONDS.toMillis(DynamicBatcher.MAX_INLINE_NANOS) * 3;
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<>("t", 4, 0, 10, 1, q -> 1, batch -> {
            Thread.sleep(longRun);
            return List.of(Thread.currentThread().getName());
        }, null, null)) {
            assertEquals(Thread.currentThread().getName(), submit(b, 1, Long.MAX_VALUE), "nothing known yet: inline");
            Thread.sleep(longRun * 3);
            assertTrue(submit(b, 2, Long.MAX_VALUE).startsWith("t-batcher-"), "a long run keeps it off the caller");
        }
    }

    @Test
    void aBatcherClosedFromItsOwnWorkerDoesNotWaitForItself() throws Exception {
        DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 4, 1, 10, 1, q -> 1, batch -> batch, null,
                null);
        long t0 = System.nanoTime();
        CompletableFuture<Integer> closed = b.submitAsync(7, Long.MAX_VALUE).whenComplete((r, e) -> b.close());
        assertEquals(7, closed.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "closing waited");
        ServingException e = assertThrows(ServingException.class, () -> submit(b, 8, Long.MAX_VALUE));
        assertEquals(Status.Code.UNAVAILABLE, e.code());
    }

    @Test
    void aRunHoldsTheGuardAfterItsCallerHasGivenUp() throws Exception {
        AtomicInteger holds = new AtomicInteger();
        DynamicBatcher.Guard guard = new DynamicBatcher.Guard() {
            @Override
            public boolean enter() {
                holds.incrementAndGet();
                return true;
            }

            @Override
            public void exit() {
                holds.decrementAndGet();
            }
        };
        Gate gate = new Gate();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 4, 1, 10, 1, q -> 1, gate, null, guard)) {
            CompletableFuture<Integer> gaveUp = b.submitAsync(1, TimeUnit.MILLISECONDS.toNanos(200));
            gate.awaitRunning();
            ExecutionException e = assertThrows(ExecutionException.class, () -> gaveUp.get(5, TimeUnit.SECONDS));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, ((ServingException) e.getCause()).code());
            assertEquals(1, holds.get(), "the run must still hold what it runs on");
            gate.open();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (holds.get() != 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(0, holds.get());
        }
    }

    @Test
    void aRunWhoseGuardIsGoneIsUnavailable() {
        DynamicBatcher.Guard gone = new DynamicBatcher.Guard() {
            @Override
            public boolean enter() {
                return false;
            }

            @Override
            public void exit() {
                throw new AssertionError("exit without enter");
            }
        };
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 4, 0, 10, 1, q -> 1, batch -> batch,
                null, gone)) {
            ServingException e = assertThrows(ServingException.class, () -> submit(b, 1, Long.MAX_VALUE));
            assertEquals(Status.Code.UNAVAILABLE, e.code());
        }
    }

    @Test
    void aFailedBatchFailsEachOfItsRequests() {
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 4, 0, 10, 1, q -> 1, batch -> {
            throw new IllegalStateException("boom");
        }, null, null)) {
            ServingException e = assertThrows(ServingException.class, () -> submit(b, 1, Long.MAX_VALUE));
            assertEquals(Status.Code.INTERNAL, e.code());
            assertTrue(e.getMessage().contains("boom"), e.getMessage());
        }
    }
}
