package org.ncf4j.server.inference;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleCard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one version directory for serving: reads and validates the bundle (each file once, size-capped), opens its
 * graphs on the chosen execution provider, runs each once so the model is warm, and picks how many users one
 * ranking run takes: the fastest per user among powers of two up to {@code max-batch-size}, timed here, within
 * the ranking memory budget. On any failure whatever was opened is closed again.
 */
public final class ModelLoader implements VersionLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    /**
     * What loading needs to know.
     *
     * @param intraOpThreads ONNX Runtime threads per session
     * @param maxFileBytes the largest bundle file accepted
     * @param rankingMemoryBytes what one ranking run's intermediate tensors may take
     * @param ranking batching of Recommend calls (its batch size is the most users a run may take)
     * @param scoring batching of Score calls
     */
    public record Settings(int intraOpThreads, long maxFileBytes, long rankingMemoryBytes,
                           DynamicBatcher.Settings ranking, DynamicBatcher.Settings scoring) {
    }

    private final ExecutionProvider.Choice provider;
    private final Settings settings;
    private final ServedModel.BatchObserver observer;

    public ModelLoader(ExecutionProvider.Choice provider, Settings settings, ServedModel.BatchObserver observer) {
        this.provider = provider;
        this.settings = settings;
        this.observer = observer;
    }

    public ExecutionProvider.Choice provider() {
        return provider;
    }

    /** Loads {@code dir} as version {@code version} of model {@code name}. */
    @Override
    public ServedModel load(String name, long version, Path dir) throws OrtException {
        Bundle bundle = Bundle.read(dir, settings.maxFileBytes());
        OnnxModel onnx = OnnxModel.open(bundle.scoreModel(), bundle.rankModel(), provider,
                settings.intraOpThreads());
        try {
            long t0 = System.nanoTime();
            onnx.score(new long[] {0}, new long[] {0});
            long scoreNanos = System.nanoTime() - t0;
            onnx.rank(new long[] {0}, new long[0], 1);
            long t1 = System.nanoTime();
            onnx.rank(new long[] {0}, new long[0], 1);
            long rankNanos = System.nanoTime() - t1;
            int memoryChunk = memoryChunk(bundle.card(), settings.rankingMemoryBytes());
            int chunk = fastestChunk(onnx, bundle.card(), Math.min(memoryChunk,
                    settings.ranking().maxBatchUnits()), name, version);
            if (memoryChunk == 1 && perUserBytes(bundle.card()) > settings.rankingMemoryBytes()) {
                LOG.warn("model {} version {}: ranking one user takes about {} MiB, more than ncf.ranking-memory-mb "
                        + "({} MiB); users are ranked one at a time", name, version,
                        perUserBytes(bundle.card()) >> 20, settings.rankingMemoryBytes() >> 20);
            }
            return new ServedModel(name, version, bundle.withoutModels(), provider.name(), onnx, chunk,
                    settings.ranking(), settings.scoring(), rankNanos, scoreNanos, observer);
        } catch (OrtException | RuntimeException | Error e) {
            try {
                onnx.close();
            } catch (OrtException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Bytes of the intermediate tensors of ranking one user: each MLP layer's output, GMF's item products and the
     * logits (masked and not), one float per item each.
     */
    static long perUserBytes(BundleCard card) {
        long floatsPerItem = 3;
        if (!card.variant().equals("mlp")) {
            floatsPerItem += 1;
        }
        if (!card.variant().equals("gmf")) {
            List<Integer> layers = card.layers();
            for (int i = 1; i < layers.size(); i++) {
                floatsPerItem += 2L * layers.get(i); // the linear output and its ReLU
            }
            floatsPerItem += 1;
        }
        return 4L * card.numItems() * floatsPerItem;
    }

    /** The most users whose ranking stays within the memory budget (at least one). */
    static int memoryChunk(BundleCard card, long budgetBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / perUserBytes(card)));
    }

    /**
     * Times ranking runs of 1, 2, 4, ... users (up to {@code max}) and returns the size with the lowest time per
     * user. Large batches can be slower per user than small ones, once their intermediate tensors no longer fit
     * the processor's caches; how large depends on the machine and the model, so it is measured, not assumed.
     */
    private static int fastestChunk(OnnxModel onnx, BundleCard card, int max, String name, long version)
            throws OrtException {
        if (max <= 1) {
            return 1;
        }
        int best = 1;
        double bestPerUser = Double.MAX_VALUE;
        StringBuilder timings = new StringBuilder();
        for (int b = 1; b <= max; b = b >= max ? max + 1 : Math.min(max, b * 2)) {
            long[] users = new long[b];
            for (int i = 0; i < b; i++) {
                users[i] = i % card.numUsers();
            }
            onnx.rank(users, new long[0], 10 > card.numItems() ? card.numItems() : 10);
            long[] runs = new long[5];
            for (int r = 0; r < runs.length; r++) {
                long t0 = System.nanoTime();
                onnx.rank(users, new long[0], Math.min(10, card.numItems()));
                runs[r] = System.nanoTime() - t0;
            }
            Arrays.sort(runs);
            double perUser = runs[runs.length / 2] / (double) b;
            timings.append(String.format(" %d: %.3f ms", b, perUser / 1e6));
            if (perUser < bestPerUser * 0.97) {
                best = b;
                bestPerUser = perUser;
            }
            if (runs[runs.length / 2] > 20_000_000L) {
                break; // runs this long are too slow to time more of at load
            }
        }
        LOG.info("model {} version {}: ranking takes up to {} users per run (per user,{})", name, version, best,
                timings);
        return best;
    }
}
