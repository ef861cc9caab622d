package org.ncf4j.server.model;

import java.util.Optional;
import org.ncf4j.data.MachineMemory;
import org.ncf4j.server.batching.BatchSettings;
import org.ncf4j.server.batching.IoLoops;
import org.ncf4j.server.config.RankingKernel;
import org.ncf4j.server.kernel.KernelWarmUp;
import org.ncf4j.server.onnxruntime.ExecutionProvider;
import org.ncf4j.server.retrieval.RetrievalSettings;

/** Loaders for tests: CPU, one intra-op thread, one worker per call type, a 256 MiB ranking budget. */
public final class ModelLoaders {
    /** The CPU provider, CUDA never tried. */
    public static final ExecutionProvider.Choice CPU = ExecutionProvider.choose("cpu", 0, (o, d) -> { });
    /**
     * The fused kernel's warm-up, one for the tests' JVM as the server has one for its process: the JIT's code is
     * shared, so one warm-up serves every loader.
     */
    public static final KernelWarmUp WARM_UP = new KernelWarmUp(KernelWarmUp.MAX_NANOS);

    private ModelLoaders() {
    }

    /** Ranking runs of at most {@code maxUsers}, each batch's first call waiting {@code delayNanos} for more. */
    public static ModelLoader cpu(int maxUsers, long delayNanos, BatchObserver observer) {
        return new ModelLoader(CPU, new ModelLoader.Settings(1, Integer.MAX_VALUE, 256L << 20,
                new BatchSettings(maxUsers, delayNanos, 100, 1, BatchSettings.MAX_INLINE_NANOS),
                new BatchSettings(1000, delayNanos, 100, 1, BatchSettings.MAX_INLINE_NANOS)), WARM_UP, IoLoops.NONE,
                observer);
    }

    public static ModelLoader cpu() {
        return cpu(8, 0, (call, n, t, d, inline) -> { });
    }

    /**
     * As {@link #cpu()}, on a machine that has {@code availableBytes} available at every load: versions that need
     * more are refused by the memory check.
     */
    public static ModelLoader cpuWithAvailable(long availableBytes) {
        MachineMemory room = new MachineMemory(availableBytes, availableBytes, "the machine's available memory", 0);
        return new ModelLoader(CPU, new ModelLoader.Settings(1, Integer.MAX_VALUE, 256L << 20,
                new BatchSettings(8, 0, 100, 1, BatchSettings.MAX_INLINE_NANOS),
                new BatchSettings(1000, 0, 100, 1, BatchSettings.MAX_INLINE_NANOS)), WARM_UP, IoLoops.NONE,
                (call, n, t, d, inline) -> { }, () -> Optional.of(room));
    }

    /** Ranking runs of up to 8 users with {@code kernel}, no queue delay, runs never on the caller's thread. */
    public static ModelLoader cpu(RankingKernel kernel) {
        return new ModelLoader(CPU, new ModelLoader.Settings(1, Integer.MAX_VALUE, 256L << 20,
                new BatchSettings(8, 0, 100, 1, 0), new BatchSettings(1000, 0, 100, 1, 0), kernel), WARM_UP,
                IoLoops.NONE, (call, users, t, d, inline) -> { });
    }

    /** As {@link #cpu(RankingKernel)} with the auto kernel choice, retrieving as {@code retrieval} says. */
    public static ModelLoader cpu(RetrievalSettings retrieval) {
        return new ModelLoader(CPU, new ModelLoader.Settings(1, Integer.MAX_VALUE, 256L << 20,
                new BatchSettings(8, 0, 100, 1, 0), new BatchSettings(1000, 0, 100, 1, 0), RankingKernel.AUTO,
                retrieval), WARM_UP, IoLoops.NONE, (call, users, t, d, inline) -> { });
    }
}
