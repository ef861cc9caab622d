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
