package org.ncf4j.server;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import org.ncf4j.server.batching.BatchSettings;
import org.ncf4j.server.config.ServingConfig;
import org.ncf4j.server.grpc.GrpcEventLoops;
import org.ncf4j.server.health.HealthService;
import org.ncf4j.server.health.ServingHealth;
import org.ncf4j.server.inference.InferenceService;
import org.ncf4j.server.kernel.KernelWarmUp;
import org.ncf4j.server.metrics.ServingMetrics;
import org.ncf4j.server.model.BatchObserver;
import org.ncf4j.server.model.ModelLoader;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.onnxruntime.ExecutionProvider;
import org.ncf4j.server.repository.ModelRepository;
import org.ncf4j.server.repository.RepositoryPoller;
import org.ncf4j.server.repository.RepositoryScanner;
import org.ncf4j.server.retrieval.ItemIndex;
import org.ncf4j.server.retrieval.RetrievalSettings;
import org.ncf4j.server.service.EarlyRefusal;
import org.ncf4j.server.service.ModelAdminService;
import org.ncf4j.server.service.RecommendationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the server's plain classes from its settings: the execution provider, the loader (with the process's one
 * warm-up of the fused kernel, and the gRPC event loops that calls arrive on), the repository (scanned once before
 * the server takes calls), its poller, health and the services. Each class takes what it needs in its constructor
 * and knows nothing of Micronaut, so tests build any of them alone.
 */
@Factory
public class ServerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ServerFactory.class);

    @Singleton
    ExecutionProvider.Choice provider(ServingConfig config) {
        ExecutionProvider.Choice choice = ExecutionProvider.choose(config.executionProvider(), config.cudaDevice(),
                (options, device) -> options.addCUDA(device));
        if (choice.fallbackReason() != null) {
            LOG.info("execution provider auto: {}; serving on the CPU", choice.fallbackReason());
        } else {
            LOG.info("execution provider: {}", choice.name());
        }
        return choice;
    }

    @Singleton
    HealthService healthService() {
        return new HealthService();
    }

    @Singleton
    ServingHealth servingHealth(HealthService health) {
        return new ServingHealth(health);
    }

    @Singleton
    ModelLoader loader(ServingConfig c, ExecutionProvider.Choice provider, GrpcEventLoops loops,
                       ServingMetrics metrics) {
        long delay = c.maxQueueDelay().toNanos();
        long wait = c.maxQueueWait().toNanos();
        BatchSettings ranking = new BatchSettings(c.maxBatchSize(), delay, c.maxQueueSize(), c.batchWorkers(),
                BatchSettings.MAX_INLINE_NANOS, wait);
        BatchSettings scoring = new BatchSettings(c.maxBatchPairs(), delay, c.maxQueueSize(), c.batchWorkers(),
                BatchSettings.MAX_INLINE_NANOS, wait);
        return new ModelLoader(provider, new ModelLoader.Settings(c.intraOpThreads(), c.maxBundleFileBytes(),
                c.rankingMemoryBytes(), ranking, scoring, c.kernel(), new RetrievalSettings(c.retrievalMode(),
                c.retrievalCandidates(), c.retrievalMinItems(), new ItemIndex.Params(c.retrievalMaxConn(),
                c.retrievalBeamWidth()), c.retrievalRecallCheck().toNanos())),
                new KernelWarmUp(KernelWarmUp.MAX_NANOS), loops, new BatchObserver() {
                    @Override
                    public void batch(String call, int requests, long queuedNanos, long runNanos, boolean inline) {
                        metrics.batch(call, requests, queuedNanos, runNanos, inline);
                    }

                    @Override
                    public void recall(String model, double recall) {
                        metrics.recall(model, recall);
                    }

                    @Override
                    public void dropped(String call, String reason, int requests) {
                        metrics.dropped(call, reason, requests);
                    }
                });
    }

    /** The repository, scanned once here: the server starts with every loadable model loaded and warm. */
    @Singleton
    @Bean(preDestroy = "close")
    ModelRepository repository(ServingConfig c, ModelLoader loader, ServingHealth health, ServingMetrics metrics) {
        Path root = Path.of(c.repository());
        LOG.info("repository {}, version policy {}, rescanned {}; batching up to {} users or {} pairs per run, "
                + "queue delay {}, queue {} calls or {} ms of expected wait, {} workers; {} intra-op threads per "
                + "session; ranking kernel {}", root.toAbsolutePath(),
                c.policy(), c.pollInterval().isZero() ? "only on Reload" : "every " + c.pollInterval(),
                c.maxBatchSize(), c.maxBatchPairs(), c.maxQueueDelay(), c.maxQueueSize(), c.maxQueueWait().toMillis(),
                c.batchWorkers(),
                c.intraOpThreads(), c.kernel().label());
        ModelRepository repository = new ModelRepository(new RepositoryScanner(root)::scan, loader, c.policy(),
                c.defaultModel(), List.of(health, metrics));
        repository.scan(null, false);
        return repository;
    }

    @Context
    @Bean(preDestroy = "close")
    RepositoryPoller poller(ModelRepository repository, ServingConfig c) {
        return new RepositoryPoller(repository, c.pollInterval());
    }

    @Singleton
    RecommendationService recommendations(ModelRepository repository, ServingConfig c) {
        return new RecommendationService(repository, new RecommendationService.Limits(c.maxScorePairs(),
                c.maxRecommendBatch(), c.popularityFallback()));
    }

    @Singleton
    EarlyRefusal earlyRefusal(ModelRepository repository) {
        return new EarlyRefusal(repository);
    }

    @Singleton
    InferenceService inference(ModelRepository repository, RecommendationService recommendations) {
        return new InferenceService(repository, recommendations);
    }

    @Singleton
    ModelAdminService admin(ModelRepository repository) {
        return new ModelAdminService(repository);
    }
}
