package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;

/**
 * With one batch worker and room for one waiting call, concurrent large Score calls overflow the queue: the
 * overflow gets RESOURCE_EXHAUSTED at once, every other call succeeds, and the server answers normally afterwards.
 */
@MicronautTest
class QueueFullTest extends ServerTestBase {
    private static final int PAIRS = 40_000;

    @Override
    protected TestServers.Setup createServer() {
        return TestServers.create(true, Map.of("ncf.batch-workers", "1", "ncf.max-queue-size", "1",
                "ncf.max-batch-pairs", "1000"));
    }

    private static ScoreRequest request(int pairs) {
        ScoreRequest.Builder b = ScoreRequest.newBuilder();
        for (int p = 0; p < pairs; p++) {
            b.addUsers("u" + p % TestBundles.USERS).addItems("i" + p % TestBundles.ITEMS);
        }
        return b.build();
    }

    @Test
    void aFullQueueRefusesCallsWithResourceExhausted() throws Exception {
        var stub = RecommenderGrpc.newBlockingStub(channel);
        ScoreRequest big = request(PAIRS);
        Map<Status.Code, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<String> refusals = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!outcomes.containsKey(Status.Code.RESOURCE_EXHAUSTED) && System.nanoTime() < until) {
                List<Future<?>> round = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    round.add(callers.submit(() -> {
                        Status.Code code = Status.Code.OK;
                        try {
                            assertEquals(PAIRS, stub.withDeadlineAfter(30, TimeUnit.SECONDS).score(big)
                                    .getScoresCount());
                        } catch (StatusRuntimeException e) {
                            code = e.getStatus().getCode();
                            synchronized (refusals) {
                                refusals.add(e.getStatus().getDescription());
                            }
                        }
                        outcomes.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
                    }));
                }
                for (Future<?> f : round) {
                    f.get();
                }
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(Set.of(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED), outcomes.keySet(), "outcomes: "
                + outcomes);
        // refused for the count, or for the wait that 40,000 pairs ahead make on a slow machine; either says to retry
        assertTrue(refusals.stream().allMatch(m -> (m.contains("queue is full") || m.contains("ncf.max-queue-wait"))
                && m.contains("retry")), refusals.toString());
        assertEquals(PAIRS, stub.score(big).getScoresCount());
    }
}
