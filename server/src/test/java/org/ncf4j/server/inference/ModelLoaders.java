package org.ncf4j.server.inference;

/** Loaders for tests: CPU, one intra-op thread, small batches, no metrics. */
public final class ModelLoaders {
    private ModelLoaders() {
    }

    public static ModelLoader cpu() {
        return BatchedRankingTest.loader(8, 0, (call, n, t, d, inline) -> { });
    }
}
