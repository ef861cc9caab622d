package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "later");
        t.setDaemon(true);
        return t;
    });

    @Test
    void callsStartAtTheRateWhateverTheAnswersAndEveryOneIsCountedInItsPhase() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // each call takes 50 ms: a closed loop of one caller would make 20 a second, the open loop makes 200
        List<OpenLoop.Phase> phases = new OpenLoop(List.of(200.0, 400.0), 0.5).run((random, done) -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            LATER.schedule(() -> {
                inFlight.decrementAndGet();
                done.accept(null);
            }, 50, TimeUnit.MILLISECONDS);
        }, 1, line -> { });
        assertEquals(2, phases.size());
        assertEquals(100, phases.get(0).started());
        assertEquals(200, phases.get(1).started());
        assertEquals(0, inFlight.get(), "the run ends when every call has");
        assertTrue(most.get() >= 10, "calls overlapped: " + most.get() + " at most in flight");
        for (OpenLoop.Phase p : phases) {
            assertEquals(p.started(), p.ok().getTotalCount());
            assertEquals(java.util.Map.of("OK", p.started()), p.codes());
            assertTrue(p.ok().getMinValue() >= 50_000, "latency from start to end: " + p.ok().getMinValue());
        }
        assertEquals(400, phases.get(1).offeredPerSecond(), 8, "the schedule kept");
    }

    @Test
    void failedCallsAreCountedByCodeWithTheirOwnLatency() throws Exception {
        AtomicInteger n = new AtomicInteger();
        List<OpenLoop.Phase> phases = new OpenLoop(List.of(100.0), 0.3).run((random, done) -> {
            if (n.incrementAndGet() % 3 == 0) {
                done.accept(Status.RESOURCE_EXHAUSTED.withDescription("full").asRuntimeException());
            } else {
                LATER.schedule(() -> done.accept(null), 5, TimeUnit.MILLISECONDS);
            }
        }, 1, line -> { });
        OpenLoop.Phase p = phases.get(0);
        assertEquals(30, p.started());
        assertEquals(10L, p.codes().get("RESOURCE_EXHAUSTED"));
        assertEquals(20L, p.codes().get("OK"));
        assertEquals(10, p.failed().getTotalCount());
        // refusals at once (the first may load classes), OK calls after 5 ms
        assertTrue(p.failed().getValueAtPercentile(50) < 5000 && p.ok().getMinValue() >= 5000,
                p.failed().getValueAtPercentile(50) + " and " + p.ok().getMinValue() + " micros");
        StringWriter out = new StringWriter();
        OpenLoop.print(new PrintWriter(out), "x", phases);
        assertTrue(out.toString().contains("RESOURCE_EXHAUSTED=10"), out.toString());
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoop(List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoop(List.of(0.0), 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoop(List.of(10.0), 0));
    }
}
