package org.ncf4j.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ncf4j.server.repository.ModelSnapshot;
import org.ncf4j.server.repository.RepositoryListener;

/**
 * What the server counts: calls and errors per rpc with latency histograms, batch sizes and queue times per
 * model call type, loaded versions per model and refused versions.
 */
@Singleton
public class ServingMetrics implements RepositoryListener {
    /** Latency histograms span 10 us to 10 s: calls and model runs take well under a millisecond here. */
    private static final Duration MIN = Duration.ofNanos(10_000);
    private static final Duration MAX = Duration.ofSeconds(10);
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> loaded = new ConcurrentHashMap<>();
    // meters are built once per tag set, not on every call
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batchSizes = new ConcurrentHashMap<>();
    private final Map<String, Timer> queueTimes = new ConcurrentHashMap<>();
    private final Map<String, Timer> runTimes = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> recalls = new ConcurrentHashMap<>();

    private final AtomicInteger inFlight = new AtomicInteger();

    public ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("ncf.calls.in.flight", inFlight, AtomicInteger::get).description("gRPC calls in progress")
                .register(registry);
    }

    /** A call (a gRPC stream) began. */
    public void callStarted() {
        inFlight.incrementAndGet();
    }

    /** A call ended, however it ended. */
    public void callEnded() {
        inFlight.decrementAndGet();
    }

    /** Calls in progress now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** One finished rpc, with its status code name ("OK" on success). */
    public void call(String rpc, String status, long nanos) {
        calls.computeIfAbsent(rpc + "/" + status, k -> Counter.builder("ncf.requests")
                .description("gRPC calls by rpc and status").tag("rpc", rpc).tag("status", status)
                .register(registry)).increment();
        latencies.computeIfAbsent(rpc, k -> Timer.builder("ncf.request.latency").description("gRPC call latency")
                .tag("rpc", rpc).publishPercentileHistogram().minimumExpectedValue(MIN).maximumExpectedValue(MAX)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One model run of the dynamic batcher: how many requests it combined, how long they queued, and whether it
     * ran on the I/O thread that received them ({@code thread="io"}) or on a batch worker.
     */
    public void batch(String call, int requests, long queuedNanos, long runNanos, boolean inline) {
        String thread = inline ? "io" : "worker";
        batchSizes.computeIfAbsent(call + "/" + thread, k -> DistributionSummary.builder("ncf.batch.size")
                .description("requests combined per model run").tag("call", call).tag("thread", thread)
                .publishPercentileHistogram().register(registry)).record(requests);
        runTimes.computeIfAbsent(call, k -> Timer.builder("ncf.run.time")
                .description("duration of a model run").tag("call", call).publishPercentileHistogram()
                .minimumExpectedValue(MIN).maximumExpectedValue(MAX).register(registry))
                .record(runNanos, TimeUnit.NANOSECONDS);
        queueTimes.computeIfAbsent(call, k -> Timer.builder("ncf.queue.time")
                .description("time from queueing to the start of the model run").tag("call", call)
                .publishPercentileHistogram().minimumExpectedValue(MIN).maximumExpectedValue(MAX)
                .register(registry)).record(queuedNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Requests admitted and then dropped before their run ({@code ncf_dropped_total{call, reason}}): their call's
     * deadline passed, their client cancelled the call or another part of their bulk call failed ("cancelled"), or
     * their call failed otherwise.
     */
    public void dropped(String call, String reason, int requests) {
        registry.counter("ncf.dropped", "call", call, "reason", reason).increment(requests);
    }

    /**
     * One check of retrieval's recall: the share of one user's exact top k that retrieval returned. Its mean over a
     * window is {@code rate(ncf_retrieval_recall_sum) / rate(ncf_retrieval_recall_count)}.
     */
    public void recall(String model, double recall) {
        recalls.computeIfAbsent(model, m -> DistributionSummary.builder("ncf.retrieval.recall")
                .description("recall@k of retrieval against the exact ranking, one checked user at a time")
                .tag("model", m).serviceLevelObjectives(0.5, 0.8, 0.9, 0.95, 0.99).register(registry))
                .record(recall);
    }

    /** Loaded versions per model after each scan; a model gone from the repository shows 0. */
    @Override
    public void changed(ModelSnapshot snapshot) {
        loaded.forEach((model, value) -> {
            if (snapshot.entry(model) == null) {
                value.set(0);
            }
        });
        snapshot.entries().forEach(e -> loadedVersions(e.name(), e.loaded().size()));
    }

    @Override
    public void refused(String model, long version) {
        reloadFailure(model);
    }

    /** The number of loaded versions of a model after a scan. */
    public void loadedVersions(String model, int count) {
        loaded.computeIfAbsent(model, m -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("ncf.loaded.versions", value, AtomicInteger::get).description("loaded model versions")
                    .tag("model", m).register(registry);
            return value;
        }).set(count);
    }

    /** A version that failed validation or loading. */
    public void reloadFailure(String model) {
        Counter.builder("ncf.reload.failures").description("model versions refused").tag("model", model)
                .register(registry).increment();
    }
}
