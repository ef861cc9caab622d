package org.ncf4j.server.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ncf4j.server.service.ServingException;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DynamicBatcherTest {

    @Test
    void concurrentRequestsShareABatchAndGetTheirOwnResults() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 8, 50_000, 100, 1, q -> 1, batch -> {
            sizes.add(batch.size());
            return batch.stream().map(x -> x * 10).toList();
        }, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int x = i;
                results.add(pool.submit(() -> b.submit(x, Long.MAX_VALUE)));
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
        }, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> b.submit(4, Long.MAX_VALUE)));
            }
            results.add(pool.submit(() -> b.submit(25, Long.MAX_VALUE))); // larger than a batch: runs alone
            for (Future<Integer> f : results) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertTrue(units.stream().allMatch(u -> u <= 10 || u == 25), units.toString());
        }
    }

    @Test
    void aFullQueueIsResourceExhausted() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a queue delay keeps every request on the queue (no inline run), so the queue's bound is what is tested
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("model m version 1 Score", 1, 1, 1, 1,
                q -> 1, batch -> {
                    running.countDown();
                    release.await();
                    return batch;
                }, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<Integer> first = pool.submit(() -> b.submit(1, Long.MAX_VALUE));
            assertTrue(running.await(5, TimeUnit.SECONDS));
            Future<Integer> queued = pool.submit(() -> b.submit(2, Long.MAX_VALUE));
            Thread.sleep(300); // request 2 now fills the queue
            ServingException e = assertThrows(ServingException.class,
                    () -> b.submit(3, TimeUnit.SECONDS.toNanos(5)));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code());
            assertTrue(e.getMessage().contains("queue is full"), e.getMessage());
            release.countDown();
            assertEquals(1, first.get(5, TimeUnit.SECONDS));
            assertEquals(2, queued.get(5, TimeUnit.SECONDS));
            pool.shutdown();
        }
    }

    @Test
    void aDeadlineThatPassesInTheQueueIsDeadlineExceeded() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 1, 0, 10, 1, q -> 1, batch -> {
            running.countDown();
            release.await();
            return batch;
        }, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(1);
            Future<Integer> blocker = pool.submit(() -> b.submit(1, Long.MAX_VALUE));
            // the only run slot is taken: the next request has to queue
            assertTrue(running.await(5, TimeUnit.SECONDS));
            ServingException e = assertThrows(ServingException.class,
                    () -> b.submit(2, TimeUnit.MILLISECONDS.toNanos(50)));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
            release.countDown();
            blocker.get(5, TimeUnit.SECONDS);
            pool.shutdown();
        }
    }

    @Test
    void aLoneRequestRunsInItsCallersThread() {
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<>("t", 4, 0, 10, 1, q -> 1,
                batch -> List.of(Thread.currentThread().getName()), null)) {
            assertEquals(Thread.currentThread().getName(), b.submit(1, Long.MAX_VALUE));
        }
    }

    @Test
    void backToBackCallsGoToTheWorkersUntilTheModelHasBeenIdleAsLongAsItsLastRun() throws Exception {
        try (DynamicBatcher<Integer, String> b = new DynamicBatcher<>("t", 4, 0, 10, 1, q -> 1, batch -> {
            Thread.sleep(100);
            return List.of(Thread.currentThread().getName());
        }, null)) {
            String caller = Thread.currentThread().getName();
            CompletableFuture<String> first = b.submitAsync(1, Long.MAX_VALUE);
            assertTrue(first.isDone(), "an idle model runs the call in the caller's thread");
            assertEquals(caller, first.get());
            // right after a 100 ms run the model counts as busy: the next call is queued for a worker
            CompletableFuture<String> next = b.submitAsync(2, Long.MAX_VALUE);
            assertTrue(next.get(5, TimeUnit.SECONDS).startsWith("t-batcher-"), next.get());
            Thread.sleep(150);
            assertEquals(caller, b.submitAsync(3, Long.MAX_VALUE).get(), "idle again: inline");
        }
    }

    @Test
    void aBatcherClosedFromItsOwnWorkerDoesNotWaitForItself() throws Exception {
        DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 4, 1, 10, 1, q -> 1, batch -> batch, null);
        long t0 = System.nanoTime();
        CompletableFuture<Integer> closed = b.submitAsync(7, Long.MAX_VALUE).whenComplete((r, e) -> b.close());
        assertEquals(7, closed.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "closing waited");
        ServingException e = assertThrows(ServingException.class, () -> b.submit(8, Long.MAX_VALUE));
        assertEquals(Status.Code.UNAVAILABLE, e.code());
    }

    @Test
    void aFailedBatchFailsEachOfItsRequests() {
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 4, 0, 10, 1, q -> 1, batch -> {
            throw new IllegalStateException("boom");
        }, null)) {
            ServingException e = assertThrows(ServingException.class, () -> b.submit(1, Long.MAX_VALUE));
            assertEquals(Status.Code.INTERNAL, e.code());
            assertTrue(e.getMessage().contains("boom"), e.getMessage());
        }
    }
}
