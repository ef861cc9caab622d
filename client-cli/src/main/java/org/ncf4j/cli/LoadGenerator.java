package org.ncf4j.cli;

import io.grpc.Status;
import java.io.PrintWriter;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs a closed-loop load test: {@code concurrency} callers each keep one call in flight, first for the warm-up
 * (not recorded), then until the duration or the request count is reached, whichever comes first. Calls are
 * asynchronous: a caller starts its next call from the completion of the last, on whatever thread completes it
 * (with a channel on a direct executor, the transport's), so the generator needs no thread per caller and no
 * hand-off per call. A blocking caller per thread cost this machine 0.37 ms of CPU per Recommend, more than the
 * server spent, and saturated its core before the server did. Latencies go into an HDR histogram (microsecond
 * resolution up to 60 s), for all calls and for each kind a call names ({@link Done#as}), so that the calls of a
 * mix are compared in one run, on one client and one server at one time; failed calls are counted by status code.
 */
public final class LoadGenerator {
    /** One call of the mix; {@code random} is the caller's own (a caller's calls run one after another). */
    @FunctionalInterface
    public interface Call {
        /**
         * Starts one call, which completes {@code done} exactly once: with null, or with its failure (a status
         * exception). {@code done} may run before this returns.
         */
        void start(SplittableRandom random, Done done);
    }

    /** A call's completion: with null, or with its failure (a status exception). */
    public interface Done extends Consumer<Throwable> {
        /** This completion, recording the call under {@code kind} as well as in the whole run's figures. */
        Consumer<Throwable> as(String kind);
    }

    /**
     * What a run measured: all calls, and the successful calls' latencies by the kind they named (empty when none
     * named one).
     */
    public record Result(long calls, double seconds, Histogram latencyMicros, Map<String, Long> errors,
                         Map<String, Histogram> byKind) {
        public Result(long calls, double seconds, Histogram latencyMicros, Map<String, Long> errors) {
            this(calls, seconds, latencyMicros, errors, Map.of());
        }

        public double throughput() {
            return calls / seconds;
        }
    }

    /** How long after the measured time calls still in flight may take (a call without a deadline may hang). */
    private static final long DRAIN_NANOS = 120_000_000_000L;

    private final int concurrency;
    private final long warmupNanos;
    private final long durationNanos;
    private final long maxRequests;

    /**
     * @param concurrency parallel callers
     * @param warmupSeconds unrecorded time before measuring
     * @param durationSeconds measured time (a hard bound even with a request count)
     * @param maxRequests stop after this many recorded calls (0: only the duration bounds the run)
     */
    public LoadGenerator(int concurrency, double warmupSeconds, double durationSeconds, long maxRequests) {
        if (concurrency < 1 || durationSeconds <= 0 || warmupSeconds < 0 || maxRequests < 0) {
            throw new IllegalArgumentException("concurrency >= 1, duration > 0, warm-up >= 0 and requests >= 0 "
                    + "are required");
        }
        this.concurrency = concurrency;
        this.warmupNanos = (long) (warmupSeconds * 1e9);
        this.durationNanos = (long) (durationSeconds * 1e9);
        this.maxRequests = maxRequests;
    }

    public Result run(Call call, long seed, Consumer<String> progress) throws InterruptedException {
        Run run = new Run(call);
        for (int c = 0; c < concurrency; c++) {
            new Caller(run, new SplittableRandom(seed + c)).next();
        }
        long lastReport = System.nanoTime();
        while (!run.stopped.await(100, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            if (now - run.measureUntil > DRAIN_NANOS) {
                throw new IllegalStateException(run.stopped.getCount() + " calls did not complete within "
                        + DRAIN_NANOS / 1_000_000_000L + " s of the end of the run");
            }
            if (now - lastReport >= 1_000_000_000L) {
                lastReport = now;
                progress.accept(now < run.measureFrom ? String.format("warm-up %.0f s left", (run.measureFrom - now)
                        / 1e9) : String.format("%,d calls, %.0f s left", run.recorded.get(),
                        Math.max(0, run.measureUntil - now) / 1e9));
            }
        }
        if (run.failure.get() != null) {
            throw new IllegalStateException("a load caller failed: " + run.failure.get(), run.failure.get());
        }
        long end = Math.min(System.nanoTime(), run.measureUntil);
        Histogram h = run.recorder.getIntervalHistogram();
        Map<String, Histogram> byKind = new TreeMap<>();
        run.kinds.forEach((kind, recorder) -> byKind.put(kind, recorder.getIntervalHistogram()));
        return new Result(h.getTotalCount(), Math.max(1e-9, (end - run.measureFrom) / 1e9), h,
                new TreeMap<>(run.errors), byKind);
    }

    /** One run's clock, counters and the callers still going. */
    private final class Run {
        final Call call;
        final Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
        final Map<String, Recorder> kinds = new ConcurrentHashMap<>();
        final AtomicLong recorded = new AtomicLong();
        final Map<String, Long> errors = new ConcurrentHashMap<>();
        final long measureFrom;
        final long measureUntil;
        final CountDownLatch stopped = new CountDownLatch(concurrency);
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Run(Call call) {
            this.call = call;
            measureFrom = System.nanoTime() + warmupNanos;
            measureUntil = measureFrom + durationNanos;
        }

        boolean over(long now) {
            return now >= measureUntil || (maxRequests > 0 && recorded.get() >= maxRequests) || failure.get() != null;
        }

        void record(String kind, long t0, long t1, Throwable error) {
            if (t0 < measureFrom) {
                return;
            }
            if (error == null) {
                long micros = Math.max(1, (t1 - t0) / 1000);
                recorder.recordValue(micros);
                if (kind != null) {
                    kinds.computeIfAbsent(kind, k -> new Recorder(TimeUnit.SECONDS.toMicros(60), 3))
                            .recordValue(micros);
                }
                recorded.incrementAndGet();
            } else {
                errors.merge(Status.fromThrowable(error).getCode().name(), 1L, Long::sum);
            }
        }
    }

    /**
     * One caller: starts a call, and from its completion the next. A call that completes before {@code start}
     * returns does not start the next one from inside it (a server that refuses every call at once would
     * otherwise grow the stack without end): whichever of the completion and the return of {@code start} comes
     * second goes on, in a loop.
     */
    private static final class Caller {
        private static final int STARTING = 0;
        private static final int RETURNED = 1;
        private static final int COMPLETED = 2;

        private final Run run;
        private final SplittableRandom random;
        private final AtomicInteger state = new AtomicInteger();

        Caller(Run run, SplittableRandom random) {
            this.run = run;
            this.random = random;
        }

        void next() {
            while (true) {
                long t0 = System.nanoTime();
                if (run.over(t0)) {
                    run.stopped.countDown();
                    return;
                }
                state.set(STARTING);
                try {
                    run.call.start(random, new Completion(t0));
                } catch (RuntimeException e) { // a fault of the call itself, not a failed call: stop the run
                    run.failure.compareAndSet(null, e);
                    run.stopped.countDown();
                    return;
                }
                if (state.getAndSet(RETURNED) != COMPLETED) {
                    return; // the completion goes on
                }
            }
        }

        /** One call's completion: records it, and goes on to the next call if {@code start} has returned. */
        private final class Completion implements Done {
            private final long t0;
            private String kind;

            Completion(long t0) {
                this.t0 = t0;
            }

            @Override
            public Consumer<Throwable> as(String kind) {
                this.kind = kind;
                return this;
            }

            @Override
            public void accept(Throwable error) {
                run.record(kind, t0, System.nanoTime(), error);
                if (state.getAndSet(COMPLETED) == RETURNED) {
                    next();
                }
            }
        }
    }

    /** One line: throughput and percentiles in milliseconds. */
    public static String summary(String name, Result r) {
        return String.format("%s: %,d calls in %.1f s = %,.0f/s; %s; errors %s", name, r.calls(), r.seconds(),
                r.throughput(), latencies(r.latencyMicros()), r.errors().isEmpty() ? "none" : r.errors());
    }

    /** The summary, then a line for each kind when the calls named more than one. */
    static void print(PrintWriter out, String name, Result r) {
        out.println(summary(name, r));
        if (r.byKind().size() > 1) {
            r.byKind().forEach((kind, h) -> out.println(String.format("  %s: %,d calls = %,.0f/s; %s", kind,
                    h.getTotalCount(), h.getTotalCount() / r.seconds(), latencies(h))));
        }
    }

    private static String latencies(Histogram h) {
        return String.format("latency ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }
}
