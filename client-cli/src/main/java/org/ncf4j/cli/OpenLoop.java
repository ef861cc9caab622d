package org.ncf4j.cli;

import io.grpc.Status;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop load test, as perf_analyzer's {@code --request-rate-range} and ghz's {@code --rps} run one: calls
 * start on a fixed schedule, whatever the server answers, phase after phase at the rates given. A closed loop
 * cannot overload a server (its callers wait for answers); an open loop shows what a server does when more calls
 * come than it can serve. The schedule is kept even when a call starts late (the next ones start at once until it
 * has caught up), so that a slow server is not offered fewer calls than the rate says. Each phase reports the calls
 * it started and how they ended: OK calls and their latency, failed calls by status and their latency (a refusal
 * should come at once). Every call is waited for: the run ends when all have ended.
 */
final class OpenLoop {
    /**
     * What one phase's calls did. {@code seconds} is the time over which its calls started: the phase's length, or
     * longer when the generator fell behind its schedule (then the offered rate is below the rate asked).
     */
    record Phase(double rate, double seconds, long started, Histogram ok, Histogram failed,
                 Map<String, Long> codes) {
        double offeredPerSecond() {
            return started / seconds;
        }

        double okPerSecond() {
            return ok.getTotalCount() / seconds;
        }
    }

    /** How long after the last phase calls still in flight may take (a call without a deadline may hang). */
    private static final long DRAIN_NANOS = 120_000_000_000L;
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(600);

    private final List<Double> rates;
    private final double secondsPerPhase;

    /**
     * @param rates calls per second of each phase, in order
     * @param secondsPerPhase each phase's length
     */
    OpenLoop(List<Double> rates, double secondsPerPhase) {
        if (rates.isEmpty() || rates.stream().anyMatch(r -> !(r > 0)) || !(secondsPerPhase > 0)) {
            throw new IllegalArgumentException("rates > 0 and a phase length > 0 are required");
        }
        this.rates = List.copyOf(rates);
        this.secondsPerPhase = secondsPerPhase;
    }

    /** Runs the phases and returns what each measured; {@code progress} hears a line a second. */
    List<Phase> run(LoadGenerator.Call call, long seed, Consumer<String> progress) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        AtomicLong inFlight = new AtomicLong();
        List<Tally> tallies = new ArrayList<>();
        long phaseNanos = (long) (secondsPerPhase * 1e9);
        long start = System.nanoTime();
        long lastReport = start;
        for (int p = 0; p < rates.size(); p++) {
            Tally tally = new Tally();
            tallies.add(tally);
            double rate = rates.get(p);
            long from = start + p * phaseNanos;
            long until = from + phaseNanos;
            for (long i = 0; ; i++) {
                long due = from + (long) (i * 1e9 / rate);
                if (due >= until) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                long t0 = System.nanoTime();
                tally.started++;
                tally.lastStart = t0;
                inFlight.incrementAndGet();
                try {
                    call.start(random, new Done(t0, tally, inFlight));
                } catch (RuntimeException e) { // a fault of the call itself, not a failed call: stop
                    throw new IllegalStateException("a load call failed: " + e, e);
                }
                if (t0 - lastReport >= 1_000_000_000L) {
                    lastReport = t0;
                    progress.accept(String.format("phase %d of %d (%,.0f calls/s): %,d calls started, %,d in "
                            + "flight", p + 1, rates.size(), rate, tally.started, inFlight.get()));
                }
            }
        }
        long end = start + rates.size() * phaseNanos;
        while (inFlight.get() > 0) {
            if (System.nanoTime() - end > DRAIN_NANOS) {
                throw new IllegalStateException(inFlight.get() + " calls did not end within "
                        + DRAIN_NANOS / 1_000_000_000L + " s of the last phase");
            }
            Thread.sleep(10);
        }
        List<Phase> out = new ArrayList<>();
        for (int p = 0; p < rates.size(); p++) {
            Tally t = tallies.get(p);
            // the calls of a phase started over its length, or until its last call started if that was later
            double span = Math.max(secondsPerPhase, (t.lastStart - (start + p * phaseNanos)) / 1e9
                    + 1 / rates.get(p));
            out.add(new Phase(rates.get(p), span, t.started, t.ok.getIntervalHistogram(),
                    t.failed.getIntervalHistogram(), new TreeMap<>(t.codes)));
        }
        return out;
    }

    /** One phase's counters, filled by the calls' completions on the transport's threads. */
    private static final class Tally {
        long started;
        long lastStart;
        final Recorder ok = new Recorder(MAX_MICROS, 3);
        final Recorder failed = new Recorder(MAX_MICROS, 3);
        final Map<String, Long> codes = new ConcurrentHashMap<>();
    }

    /** One call's end: counted in the phase that started it. */
    private record Done(long t0, Tally tally, AtomicLong inFlight) implements LoadGenerator.Done {
        @Override
        public Consumer<Throwable> as(String kind) {
            return this;
        }

        @Override
        public void accept(Throwable error) {
            long micros = Math.min(MAX_MICROS, Math.max(1, (System.nanoTime() - t0) / 1000));
            (error == null ? tally.ok : tally.failed).recordValue(micros);
            tally.codes.merge(error == null ? "OK" : Status.fromThrowable(error).getCode().name(), 1L, Long::sum);
            inFlight.decrementAndGet();
        }
    }

    /** A line per phase: offered and OK calls per second, the codes, and the latencies of OK and failed calls. */
    static void print(PrintWriter out, String name, List<Phase> phases) {
        out.println(name + ", open loop:");
        out.println(String.format("  %-5s %10s %10s %10s  %-34s %-34s %s", "phase", "rate/s", "offered/s", "OK/s",
                "OK latency ms p50 / p99 / max", "failed latency ms p50 / p99 / max", "codes"));
        for (int p = 0; p < phases.size(); p++) {
            Phase ph = phases.get(p);
            out.println(String.format("  %-5d %10.0f %10.0f %10.0f  %-34s %-34s %s", p + 1, ph.rate(),
                    ph.offeredPerSecond(), ph.okPerSecond(), latencies(ph.ok()), latencies(ph.failed()),
                    ph.codes()));
        }
    }

    private static String latencies(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "- / - / -";
        }
        return String.format("%.3f / %.3f / %.3f", h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
    }
}
