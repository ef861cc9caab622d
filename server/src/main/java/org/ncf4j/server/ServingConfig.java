package org.ncf4j.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The {@code ncf} section of application.yml (each key also settable as an environment variable, e.g.
 * {@code NCF_REPOSITORY}).
 */
@ConfigurationProperties("ncf")
public class ServingConfig {
    /** The model repository: {@code <repository>/<model>/<version>/} bundle directories. */
    private String repository = "models";
    /** The model that answers requests naming none; empty for the only (or first, by name) model. */
    private String defaultModel = "";
    /** ONNX Runtime execution provider: cpu, cuda or auto (CUDA when its libraries load, else CPU). */
    private String executionProvider = "auto";
    /** CUDA device for the cuda provider. */
    private int cudaDevice = 0;
    /** ONNX Runtime intra-op threads per session (one suits many concurrent small requests). */
    private int intraOpThreads = 1;
    /** How often the repository is rescanned for new versions. */
    private Duration pollInterval = Duration.ofSeconds(30);
    /** Unknown users get the most popular unseen items (flagged); when false they get NOT_FOUND. */
    private boolean popularityFallback = true;
    /** The largest Score batch accepted (pairs). */
    private int maxScorePairs = 100_000;
    /** Dynamic batching: at most this many Recommend users are ranked in one model call. */
    private int maxBatchSize = 64;
    /** Dynamic batching: at most this many Score pairs go into one model call (a larger request runs alone). */
    private int maxBatchPairs = 10_000;
    /** Dynamic batching: how long a batch's first request waits for others (0: only already queued ones join). */
    private Duration maxQueueDelay = Duration.ZERO;
    /** Dynamic batching: requests allowed to wait per model and call type; beyond: RESOURCE_EXHAUSTED. */
    private int maxQueueSize = 1024;
    /** Threads running batches per model and call type. */
    private int batchWorkers = 2;

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public int getMaxBatchPairs() {
        return maxBatchPairs;
    }

    public void setMaxBatchPairs(int maxBatchPairs) {
        this.maxBatchPairs = maxBatchPairs;
    }

    public Duration getMaxQueueDelay() {
        return maxQueueDelay;
    }

    public void setMaxQueueDelay(Duration maxQueueDelay) {
        this.maxQueueDelay = maxQueueDelay;
    }

    public int getMaxQueueSize() {
        return maxQueueSize;
    }

    public void setMaxQueueSize(int maxQueueSize) {
        this.maxQueueSize = maxQueueSize;
    }

    public int getBatchWorkers() {
        return batchWorkers;
    }

    public void setBatchWorkers(int batchWorkers) {
        this.batchWorkers = batchWorkers;
    }

    public String getRepository() {
        return repository;
    }

    public void setRepository(String repository) {
        this.repository = repository;
    }

    public String getDefaultModel() {
        return defaultModel;
    }

    public void setDefaultModel(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    public String getExecutionProvider() {
        return executionProvider;
    }

    public void setExecutionProvider(String executionProvider) {
        this.executionProvider = executionProvider;
    }

    public int getCudaDevice() {
        return cudaDevice;
    }

    public void setCudaDevice(int cudaDevice) {
        this.cudaDevice = cudaDevice;
    }

    public int getIntraOpThreads() {
        return intraOpThreads;
    }

    public void setIntraOpThreads(int intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public boolean isPopularityFallback() {
        return popularityFallback;
    }

    public void setPopularityFallback(boolean popularityFallback) {
        this.popularityFallback = popularityFallback;
    }

    public int getMaxScorePairs() {
        return maxScorePairs;
    }

    public void setMaxScorePairs(int maxScorePairs) {
        this.maxScorePairs = maxScorePairs;
    }
}
