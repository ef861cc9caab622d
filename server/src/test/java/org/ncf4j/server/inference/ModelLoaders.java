package org.ncf4j.server.inference;

/** Loaders for tests: CPU, one intra-op thread, one worker per call type, a 256 MiB ranking budget. */
public final class ModelLoaders {
    private ModelLoaders() {
    }

    /** Ranking runs of at most {@code maxUsers}, each batch's first call waiting {@code delayNanos} for more. */
    public static ModelLoader cpu(int maxUsers, long delayNanos, ServedModel.BatchObserver observer) {
        ExecutionProvider.Choice cpu = ExecutionProvider.choose("cpu", 0, (o, d) -> { });
        return new ModelLoader(cpu, new ModelLoader.Settings(1, Integer.MAX_VALUE, 256L << 20,
                new DynamicBatcher.Settings(maxUsers, delayNanos, 100, 1, DynamicBatcher.MAX_INLINE_NANOS),
                new DynamicBatcher.Settings(1000, delayNanos, 100, 1, DynamicBatcher.MAX_INLINE_NANOS)), observer);
    }

    public static ModelLoader cpu() {
        return cpu(8, 0, (call, n, t, d, inline) -> { });
    }
}
