package org.ncf4j.server.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ncf4j.server.config.RankingKernel;

/**
 * The {@code ncf} settings, with their defaults; each can be set in application.yml or as an environment variable
 * ({@code NCF_REPOSITORY}, {@code NCF_MAX_BATCH_SIZE}, ...). The values are checked when the server starts: every
 * bad value is named in one {@link ConfigException}, so the server never starts half-configured.
 *
 * @param repository the model repository: {@code <repository>/<model>/<version>/} bundle directories
 * @param defaultModel the model answering requests that name none; empty: the first loaded model by name
 * @param executionProvider ONNX Runtime's execution provider: cpu, cuda or auto (CUDA when it loads, else CPU)
 * @param cudaDevice the CUDA device for the cuda provider
 * @param intraOpThreads ONNX Runtime threads per session (one suits many concurrent small requests)
 * @param pollInterval how often the repository is rescanned; 0 rescans only on Reload
 * @param versionPolicy which versions of each model are loaded: latest:N, all, or specific:V1,V2
 * @param popularityFallback unknown users get the most popular unseen items (flagged); false: NOT_FOUND
 * @param maxScorePairs the largest Score request, in pairs
 * @param maxRecommendBatch the largest RecommendBatch request, in users
 * @param maxBatchSize dynamic batching: at most this many users are ranked in one model run
 * @param maxBatchPairs dynamic batching: at most this many pairs are scored in one model run
 * @param maxQueueDelay dynamic batching: how long a batch's first call waits for others (0: only queued ones)
 * @param maxQueueSize calls allowed to wait per model and call type; beyond: RESOURCE_EXHAUSTED
 * @param maxQueueWait the longest expected wait (the users or pairs queued before a call, at the rate the queue
 *     drained lately) at which a call is admitted; beyond: RESOURCE_EXHAUSTED, at once
 * @param batchWorkers threads running batches per model and call type
 * @param rankingMemoryMb the most memory one ranking run may use for its intermediate tensors, in MiB; a batch of
 *     users is ranked in chunks that stay under it
 * @param maxBundleFileMb the largest bundle file read into the heap, in MiB (all but the data file, which is mapped
 *     and checked against the memory available instead); by default the largest array a JVM allocates
 * @param rankingKernel what ranks the catalogue for Recommend: auto (the fused Java kernel on the CPU provider when
 *     it agrees with the ranking graph and is faster, else the graph), onnx (always the graph in ONNX Runtime) or
 *     fused (the kernel whenever it agrees)
 * @param retrieval how Recommend ranks a whole catalogue by default, for models with a GMF part: auto (through
 *     retrieval from catalogues of {@code retrievalMinItems} items on, exactly below), on (always through
 *     retrieval) or off (always exactly, and no index is built); a request may ask for either way when the index
 *     exists
 * @param retrievalCandidates C: the candidates retrieval takes by inner product before the exact model re-ranks
 *     them (a request may ask for another C)
 * @param retrievalMinItems from this many items on, auto ranks through retrieval
 * @param retrievalMaxConn the index's graph: neighbours per node (HNSW's M)
 * @param retrievalBeamWidth the index's graph: candidates considered per node added while building
 * @param retrievalRecallCheck the least time between two checks of retrieval's recall as it serves (one user's
 *     retrieved top k against the exact ranking, on a thread of its own; metric ncf_retrieval_recall); 0: none
 */
@ConfigurationProperties("ncf")
public record ServingConfig(
        @Bindable(defaultValue = "models") String repository,
        @Bindable(defaultValue = "") String defaultModel,
        @Bindable(defaultValue = "auto") String executionProvider,
        @Bindable(defaultValue = "0") int cudaDevice,
        @Bindable(defaultValue = "1") int intraOpThreads,
        @Bindable(defaultValue = "30s") Duration pollInterval,
        @Bindable(defaultValue = "latest:1") String versionPolicy,
        @Bindable(defaultValue = "true") boolean popularityFallback,
        @Bindable(defaultValue = "100000") int maxScorePairs,
        @Bindable(defaultValue = "10000") int maxRecommendBatch,
        @Bindable(defaultValue = "64") int maxBatchSize,
        @Bindable(defaultValue = "10000") int maxBatchPairs,
        @Bindable(defaultValue = "0ms") Duration maxQueueDelay,
        @Bindable(defaultValue = "1024") int maxQueueSize,
        @Bindable(defaultValue = "50ms") Duration maxQueueWait,
        @Bindable(defaultValue = "2") int batchWorkers,
        @Bindable(defaultValue = "256") int rankingMemoryMb,
        @Bindable(defaultValue = "2047") int maxBundleFileMb,
        @Bindable(defaultValue = "auto") String rankingKernel,
        @Bindable(defaultValue = "auto") String retrieval,
        @Bindable(defaultValue = "200") int retrievalCandidates,
        @Bindable(defaultValue = "20000") int retrievalMinItems,
        @Bindable(defaultValue = "16") int retrievalMaxConn,
        @Bindable(defaultValue = "50") int retrievalBeamWidth,
        @Bindable(defaultValue = "10s") Duration retrievalRecallCheck) {

    /** The largest array a JVM allocates; a bundle file is read into one. */
    static final int MAX_FILE_MB = (Integer.MAX_VALUE - 8) >> 20;

    public ServingConfig {
        List<String> problems = new ArrayList<>();
        repository = repository == null ? "" : repository.strip();
        defaultModel = defaultModel == null ? "" : defaultModel.strip();
        executionProvider = executionProvider == null ? "" : executionProvider.strip().toLowerCase(Locale.ROOT);
        if (repository.isEmpty()) {
            problems.add("ncf.repository is empty: give the model repository's directory");
        }
        if (!List.of("cpu", "cuda", "auto").contains(executionProvider)) {
            problems.add("ncf.execution-provider is '" + executionProvider + "', expected cpu, cuda or auto");
        }
        atLeast(problems, "ncf.cuda-device", cudaDevice, 0);
        atLeast(problems, "ncf.intra-op-threads", intraOpThreads, 1);
        if (pollInterval == null || pollInterval.isNegative()) {
            problems.add("ncf.poll-interval is " + pollInterval + ", expected a duration such as 30s (0: only on "
                    + "Reload)");
        }
        try {
            VersionPolicy.parse(versionPolicy);
        } catch (IllegalArgumentException e) {
            problems.add("ncf.version-policy: " + e.getMessage());
        }
        atLeast(problems, "ncf.max-score-pairs", maxScorePairs, 1);
        atLeast(problems, "ncf.max-recommend-batch", maxRecommendBatch, 1);
        atLeast(problems, "ncf.max-batch-size", maxBatchSize, 1);
        atLeast(problems, "ncf.max-batch-pairs", maxBatchPairs, 1);
        if (maxQueueDelay == null || maxQueueDelay.isNegative()) {
            problems.add("ncf.max-queue-delay is " + maxQueueDelay + ", expected 0 or more, such as 2ms");
        }
        atLeast(problems, "ncf.max-queue-size", maxQueueSize, 1);
        if (maxQueueWait == null || maxQueueWait.isNegative() || maxQueueWait.isZero()) {
            problems.add("ncf.max-queue-wait is " + maxQueueWait + ", expected more than 0, such as 50ms");
        }
        atLeast(problems, "ncf.batch-workers", batchWorkers, 1);
        atLeast(problems, "ncf.ranking-memory-mb", rankingMemoryMb, 1);
        atLeast(problems, "ncf.max-bundle-file-mb", maxBundleFileMb, 1);
        if (maxBundleFileMb > MAX_FILE_MB) {
            problems.add("ncf.max-bundle-file-mb is " + maxBundleFileMb + ", at most " + MAX_FILE_MB
                    + " (a bundle file is read into one array)");
        }
        rankingKernel = rankingKernel == null ? "" : rankingKernel.strip().toLowerCase(Locale.ROOT);
        try {
            RankingKernel.parse(rankingKernel);
        } catch (IllegalArgumentException e) {
            problems.add("ncf.ranking-kernel is " + e.getMessage());
        }
        retrieval = retrieval == null ? "" : retrieval.strip().toLowerCase(Locale.ROOT);
        try {
            RetrievalMode.parse(retrieval);
        } catch (IllegalArgumentException e) {
            problems.add("ncf.retrieval is " + e.getMessage());
        }
        atLeast(problems, "ncf.retrieval-candidates", retrievalCandidates, 1);
        atMost(problems, "ncf.retrieval-candidates", retrievalCandidates, RetrievalMode.MAX_CANDIDATES);
        atLeast(problems, "ncf.retrieval-min-items", retrievalMinItems, 1);
        atLeast(problems, "ncf.retrieval-max-conn", retrievalMaxConn, 2);
        atMost(problems, "ncf.retrieval-max-conn", retrievalMaxConn, 512);
        atLeast(problems, "ncf.retrieval-beam-width", retrievalBeamWidth, 1);
        atMost(problems, "ncf.retrieval-beam-width", retrievalBeamWidth, 3200);
        if (retrievalRecallCheck == null || retrievalRecallCheck.isNegative()) {
            problems.add("ncf.retrieval-recall-check is " + retrievalRecallCheck + ", expected 0 (no checks) or a "
                    + "duration such as 10s");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    public VersionPolicy policy() {
        return VersionPolicy.parse(versionPolicy);
    }

    public RankingKernel kernel() {
        return RankingKernel.parse(rankingKernel);
    }

    public long rankingMemoryBytes() {
        return (long) rankingMemoryMb << 20;
    }

    public long maxBundleFileBytes() {
        return (long) maxBundleFileMb << 20;
    }

    public RetrievalMode retrievalMode() {
        return RetrievalMode.parse(retrieval);
    }

    private static void atMost(List<String> problems, String key, long value, long max) {
        if (value > max) {
            problems.add(key + " is " + value + ", expected at most " + max);
        }
    }

    private static void atLeast(List<String> problems, String key, long value, long min) {
        if (value < min) {
            problems.add(key + " is " + value + ", expected at least " + min);
        }
    }
}
