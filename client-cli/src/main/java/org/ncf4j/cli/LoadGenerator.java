package org.ncf4j.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs a closed-loop load test: {@code concurrency} workers each send one call at a time, first for the warm-up
 * (not recorded), then until the duration or the request count is reached, whichever comes first. Latencies go
 * into an HDR histogram (microsecond resolution up to 60 s); failed calls are counted by status code.
 */
public final class LoadGenerator {
    /** One call of the mix; {@code random} is the worker's own. */
    @FunctionalInterface
    public interface Call {
        void invoke(SplittableRandom random);
    }

    /** What a run measured. */
    public record Result(long calls, double seconds, Histogram latencyMicros, Map<String, Long> errors) {
        public double throughput() {
            return calls / seconds;
        }
    }

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
        Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong recorded = new AtomicLong();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long measureUntil = measureFrom + durationNanos;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            SplittableRandom random = new SplittableRandom(seed + w);
            workers.add(pool.submit(() -> {
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= measureUntil || (maxRequests > 0 && recorded.get() >= maxRequests)) {
                        return;
                    }
                    boolean failed = false;
                    try {
                        call.invoke(random);
                    } catch (StatusRuntimeException e) {
                        failed = true;
                        if (t0 >= measureFrom) {
                            errors.merge(e.getStatus().getCode().name(), 1L, Long::sum);
                        }
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && !failed) {
                        recorder.recordValue(Math.max(1, (t1 - t0) / 1000));
                        recorded.incrementAndGet();
                    }
                }
            }));
        }
        pool.shutdown();
        long lastReport = System.nanoTime();
        while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
            long now = System.nanoTime();
            if (now - lastReport >= 1_000_000_000L) {
                lastReport = now;
                progress.accept(now < measureFrom ? String.format("warm-up %.0f s left", (measureFrom - now) / 1e9)
                        : String.format("%,d calls, %.0f s left", recorded.get(), Math.max(0, measureUntil - now)
                        / 1e9));
            }
        }
        for (Future<?> f : workers) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a load worker failed: " + e.getCause(), e.getCause());
            }
        }
        long end = Math.min(System.nanoTime(), measureUntil);
        Histogram h = recorder.getIntervalHistogram();
        return new Result(h.getTotalCount(), Math.max(1e-9, (end - measureFrom) / 1e9), h, new TreeMap<>(errors));
    }

    /** One line: throughput and percentiles in milliseconds. */
    public static String summary(String name, Result r) {
        Histogram h = r.latencyMicros();
        return String.format("%s: %,d calls in %.1f s = %,.0f/s; latency ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f "
                        + "max %.3f; errors %s", name, r.calls(), r.seconds(), r.throughput(),
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
                r.errors().isEmpty() ? "none" : r.errors());
    }

    static void print(PrintWriter out, String name, Result r) {
        out.println(summary(name, r));
    }
}
