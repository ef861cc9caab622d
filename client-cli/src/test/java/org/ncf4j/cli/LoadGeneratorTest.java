package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    private static final ScheduledExecutorService LATER = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "later");
        t.setDaemon(true);
        return t;
    });

    @Test
    void stopsAfterTheRequestCountAndRecordsEveryCall() throws Exception {
        AtomicLong calls = new AtomicLong();
        // calls that complete before start returns: 500 of them in a row must not grow the stack
        LoadGenerator.Result r = new LoadGenerator(4, 0, 30, 500).run((random, done) -> {
            calls.incrementAndGet();
            done.accept(null);
        }, 1, line -> { });
        assertTrue(r.calls() >= 500 && r.calls() < 510, "recorded " + r.calls());
        assertEquals(r.calls(), r.latencyMicros().getTotalCount());
        assertTrue(r.seconds() < 30);
    }

    @Test
    void eachCallerKeepsOneCallInFlightAndTheDurationBoundsTheRun() throws Exception {
        List<String> progress = new ArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        LoadGenerator.Result r = new LoadGenerator(3, 0.3, 0.5, 0).run((random, done) -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            LATER.schedule(() -> {
                inFlight.decrementAndGet();
                done.accept(null);
            }, 2, TimeUnit.MILLISECONDS);
        }, 1, progress::add);
        // three callers of ~2 ms calls for 0.5 s: a few hundred calls, not the warm-up's
        assertTrue(r.calls() > 150 && r.calls() < 900, "recorded " + r.calls());
        assertEquals(3, most.get(), "calls in flight at once");
        assertTrue(r.latencyMicros().getValueAtPercentile(50) >= 2000);
        assertTrue(r.seconds() >= 0.45 && r.seconds() < 1.5, "measured " + r.seconds());
    }

    @Test
    void failedCallsAreCountedByStatusAndNotTimed() throws Exception {
        LoadGenerator.Result r = new LoadGenerator(2, 0, 0.3, 0).run((random, done) -> {
            done.accept(Status.UNAVAILABLE.withDescription("down").asRuntimeException());
        }, 1, line -> { });
        assertEquals(0, r.calls());
        assertTrue(r.errors().get("UNAVAILABLE") > 0);
        StringWriter out = new StringWriter();
        LoadGenerator.print(new PrintWriter(out), "x", r);
        assertTrue(out.toString().contains("errors {UNAVAILABLE="), out.toString());
    }

    @Test
    void aCallThatThrowsInsteadOfCompletingStopsTheRunWithItsCause() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new LoadGenerator(2, 0, 30, 0)
                .run((random, done) -> {
                    throw new IllegalArgumentException("no such item");
                }, 1, line -> { }));
        assertTrue(e.getMessage().contains("no such item"), e.getMessage());
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LoadGenerator(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LoadGenerator(1, 0, 0, 0));
    }

    @Test
    void benchNeedsABundleAndRefusesAnUnknownCall() {
        StringWriter err = new StringWriter();
        assertEquals(2, Ncf.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "bench"));
        assertTrue(err.toString().contains("--bundle"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, Ncf.run(new PrintWriter(new StringWriter()), new PrintWriter(err2), "bench", "--bundle",
                "/nonexistent"));
        assertTrue(err2.toString().startsWith("ncf: bundle /nonexistent: not a directory"), err2.toString());
    }
}
