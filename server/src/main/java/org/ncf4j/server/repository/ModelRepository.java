package org.ncf4j.server.repository;

import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.server.ServingConfig;
import org.ncf4j.server.inference.ExecutionProvider;
import org.ncf4j.server.inference.OnnxModel;
import org.ncf4j.server.metrics.ServingMetrics;
import org.ncf4j.server.service.ServingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of {@code ncf.repository}: every valid {@code <model>/<version>/} bundle is loaded, the highest
 * version of each model answers by default. A rescan (every {@code ncf.poll-interval}, or on request) loads new
 * versions and swaps them in atomically; a version that fails validation is refused and recorded while the
 * versions already loaded keep serving. The gRPC health service reports SERVING once a model is loaded and warm.
 */
@Singleton
public class ModelRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    /** A model's loaded versions (highest last) and the versions that failed, with why. */
    public record Versions(String name, NavigableMap<Long, OnnxModel> loaded, Map<Long, String> failed) {
    }

    private final Path root;
    private final ServingConfig config;
    private final HealthStatusManager health;
    private final ExecutionProvider.Choice provider;
    private final Map<String, Versions> models = new ConcurrentHashMap<>();
    private final OnnxModel.Batching batching;

    private final ServingMetrics metrics;
    private volatile boolean stopping;

    public ModelRepository(ServingConfig config, HealthStatusManager health, ServingMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.root = Path.of(config.getRepository());
        this.health = health;
        this.batching = new OnnxModel.Batching(config.getMaxBatchSize(), config.getMaxBatchPairs(),
                config.getMaxQueueDelay().toNanos() / 1000, config.getMaxQueueSize(), config.getBatchWorkers(),
                metrics::batch);
        this.provider = ExecutionProvider.choose(config.getExecutionProvider(), config.getCudaDevice(),
                (options, device) -> options.addCUDA(device));
        if (provider.fallbackReason() != null) {
            LOG.info("execution provider auto: {}; serving on the CPU", provider.fallbackReason());
        } else {
            LOG.info("execution provider: {}", provider.name());
        }
        LOG.info("repository {}, rescanned every {}; batching up to {} users or {} pairs per run, queue delay {}, "
                + "queue {}, {} workers; {} intra-op threads per session", root.toAbsolutePath(),
                config.getPollInterval(), config.getMaxBatchSize(), config.getMaxBatchPairs(),
                config.getMaxQueueDelay(), config.getMaxQueueSize(), config.getBatchWorkers(),
                config.getIntraOpThreads());
        health.setStatus("", ServingStatus.NOT_SERVING);
        scan(null);
    }

    public ExecutionProvider.Choice provider() {
        return provider;
    }

    /** Rescans on the poll interval. */
    @Scheduled(fixedDelay = "${ncf.poll-interval:30s}", initialDelay = "${ncf.poll-interval:30s}")
    void poll() {
        scan(null);
    }

    /**
     * Loads new valid versions, unloads versions removed from disk, records failures; {@code only} limits the
     * scan to one model (null for all). Returns the state afterwards.
     */
    public synchronized List<Versions> scan(String only) {
        if (!Files.isDirectory(root)) {
            LOG.warn("model repository {} does not exist", root.toAbsolutePath());
        } else {
            for (Path modelDir : list(root)) {
                String name = modelDir.getFileName().toString();
                if (only == null || only.equals(name)) {
                    scanModel(name, modelDir);
                }
            }
        }
        boolean ready = models.values().stream().anyMatch(v -> !v.loaded().isEmpty());
        health.setStatus("", ready && !stopping ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        return snapshot();
    }

    private void scanModel(String name, Path modelDir) {
        Versions old = models.get(name);
        NavigableMap<Long, OnnxModel> loaded = new TreeMap<>(old == null ? Map.of() : old.loaded());
        Map<Long, String> failed = new TreeMap<>(old == null ? Map.of() : old.failed());
        List<Long> onDisk = new ArrayList<>();
        for (Path versionDir : list(modelDir)) {
            long version;
            try {
                version = Long.parseLong(versionDir.getFileName().toString());
            } catch (NumberFormatException e) {
                continue; // hidden partial exports and other files are not versions
            }
            onDisk.add(version);
            if (loaded.containsKey(version) || failed.containsKey(version)) {
                continue;
            }
            try {
                Bundle bundle = Bundle.read(versionDir);
                loaded.put(version, OnnxModel.load(name, version, bundle, provider, config.getIntraOpThreads(),
                        batching));
                LOG.info("loaded model {} version {} ({}, {} users, {} items) on {}", name, version,
                        bundle.card().variant(), bundle.card().numUsers(), bundle.card().numItems(), provider.name());
            } catch (Exception e) {
                failed.put(version, e.getMessage());
                metrics.reloadFailure(name);
                LOG.warn("refused model {} version {}: {}", name, version, e.getMessage());
            }
        }
        List<OnnxModel> removed = new ArrayList<>();
        loaded.keySet().removeIf(v -> {
            if (!onDisk.contains(v)) {
                removed.add(loaded.get(v));
                return true;
            }
            return false;
        });
        failed.keySet().removeIf(v -> !onDisk.contains(v));
        models.put(name, new Versions(name, Collections.unmodifiableNavigableMap(loaded),
                Collections.unmodifiableMap(failed)));
        metrics.loadedVersions(name, loaded.size());
        removed.forEach(m -> {
            LOG.info("unloaded model {} version {} (removed from the repository)", name, m.version());
            m.close();
        });
    }

    /**
     * Takes a loaded model for one call; close the lease when done. {@code name} empty means the default model,
     * {@code version} 0 its highest loaded version.
     */
    public Lease acquire(String name, long version) {
        for (int attempt = 0; attempt < 3; attempt++) {
            OnnxModel model = find(name, version);
            if (model.retain()) {
                return new Lease(model);
            }
            // swapped out and closed between lookup and retain: look again
        }
        throw new ServingException(Status.Code.UNAVAILABLE, "model " + name + " is being reloaded, try again");
    }

    private OnnxModel find(String name, long version) {
        String n = name == null || name.isEmpty() ? defaultModel() : name;
        Versions v = models.get(n);
        if (v == null) {
            throw new ServingException(Status.Code.NOT_FOUND, "unknown model '" + n + "', the repository has "
                    + models.keySet());
        }
        if (v.loaded().isEmpty()) {
            throw new ServingException(Status.Code.UNAVAILABLE, "model '" + n + "' has no version ready"
                    + (v.failed().isEmpty() ? "" : ": " + v.failed()));
        }
        if (version == 0) {
            return v.loaded().lastEntry().getValue();
        }
        OnnxModel m = v.loaded().get(version);
        if (m == null) {
            throw new ServingException(Status.Code.NOT_FOUND, "model '" + n + "' has no loaded version " + version
                    + ", it has " + v.loaded().keySet()
                    + (v.failed().containsKey(version) ? " (version " + version + " failed: "
                    + v.failed().get(version) + ")" : ""));
        }
        return m;
    }

    private String defaultModel() {
        if (!config.getDefaultModel().isEmpty()) {
            return config.getDefaultModel();
        }
        return models.entrySet().stream().filter(e -> !e.getValue().loaded().isEmpty()).map(Map.Entry::getKey)
                .sorted().findFirst().orElseThrow(() -> new ServingException(Status.Code.UNAVAILABLE,
                        "no model is ready in repository " + root + failures()));
    }

    private String failures() {
        StringBuilder sb = new StringBuilder();
        for (Versions v : snapshot()) {
            v.failed().forEach((version, why) -> sb.append(sb.length() == 0 ? "; refused: " : "; ")
                    .append(v.name()).append('/').append(version).append(": ").append(why));
        }
        return sb.toString();
    }

    /** The current state, models sorted by name. */
    public List<Versions> snapshot() {
        List<Versions> out = new ArrayList<>(models.values());
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** A model held for one call. */
    public static final class Lease implements AutoCloseable {
        private final OnnxModel model;

        Lease(OnnxModel model) {
            this.model = model;
        }

        public OnnxModel model() {
            return model;
        }

        @Override
        public void close() {
            model.release();
        }
    }

    /**
     * Reports NOT_SERVING as soon as the server begins to shut down, before it stops taking calls; in-flight calls
     * then finish (for up to {@code grpc.server.await-termination}) on models that stay loaded until the end.
     */
    @EventListener
    void onShutdown(ServerShutdownEvent event) {
        if (!stopping) {
            stopping = true;
            health.setStatus("", ServingStatus.NOT_SERVING);
            LOG.info("shutting down: health NOT_SERVING, finishing in-flight calls");
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        health.setStatus("", ServingStatus.NOT_SERVING);
        for (Versions v : models.values()) {
            v.loaded().values().forEach(OnnxModel::close);
        }
        models.clear();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.getMessage());
            return List.of();
        }
    }
}
