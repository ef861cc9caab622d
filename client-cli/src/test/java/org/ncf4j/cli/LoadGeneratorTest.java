package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
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
        // the count stopped it: callers that were already past their check may each add a call
        assertTrue(r.calls() >= 500 && r.calls() < 504, "recorded " + r.calls());
        assertEquals(r.calls(), r.latencyMicros().getTotalCount());
        assertEquals(r.calls(), calls.get(), "no warm-up: every call is recorded");
    }

    @Test
    void eachCallerKeepsOneCallInFlightAndTheDurationBoundsTheRun() throws Exception {
        AtomicLong started = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        LoadGenerator.Result r = new LoadGenerator(3, 0.3, 0.5, 0).run((random, done) -> {
            started.incrementAndGet();
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            LATER.schedule(() -> {
                inFlight.decrementAndGet();
                done.accept(null);
            }, 2, TimeUnit.MILLISECONDS);
        }, 1, line -> { });
        assertEquals(3, most.get(), "calls in flight at once");
        // with no request count, only the duration ends the run: the time measured is the duration
        assertEquals(0.5, r.seconds(), 1e-9);
        // a latency is a call's time from start to completion, which the scheduler makes at least 2 ms; so a caller
        // completes at most one call per 2 ms of the measured time, plus the one in flight at its end
        assertTrue(r.calls() > 0 && r.calls() <= 3 * (500 / 2 + 1), "recorded " + r.calls());
        long fastest = r.latencyMicros().getMinValue();
        assertTrue(fastest >= 2000, "fastest call " + fastest + " micros");
        // the warm-up's calls are made, not recorded
        assertTrue(started.get() > r.calls(), started.get() + " calls started, " + r.calls() + " recorded");
    }

    @Test
    void callsThatNameTheirKindAreAlsoMeasuredByKind() throws Exception {
        LoadGenerator.Result r = new LoadGenerator(2, 0, 30, 400).run((random, done) -> {
            boolean slow = random.nextBoolean();
            Consumer<Throwable> d = done.as(slow ? "slow" : "fast");
            LATER.schedule(() -> d.accept(null), slow ? 3 : 0, TimeUnit.MILLISECONDS);
        }, 1, line -> { });
        assertEquals(Set.of("fast", "slow"), r.byKind().keySet());
        assertEquals(r.calls(), r.byKind().values().stream().mapToLong(Histogram::getTotalCount).sum());
        assertTrue(r.byKind().get("slow").getMinValue() >= 3000, "slow calls took 3 ms at least");
        assertTrue(r.byKind().get("fast").getValueAtPercentile(50) < r.byKind().get("slow").getMinValue());
        StringWriter out = new StringWriter();
        LoadGenerator.print(new PrintWriter(out), "x", r);
        assertTrue(out.toString().contains("\n  fast: ") && out.toString().contains("\n  slow: "), out.toString());
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
