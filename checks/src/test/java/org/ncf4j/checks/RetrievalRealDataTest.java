package org.ncf4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.EvalSet;
import org.ncf4j.data.NcfSplitFiles;
import org.ncf4j.data.RealData;
import org.ncf4j.data.Split;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.server.batching.BatchSettings;
import org.ncf4j.server.batching.IoLoops;
import org.ncf4j.server.config.RankingKernel;
import org.ncf4j.server.config.RetrievalMode;
import org.ncf4j.server.kernel.KernelWarmUp;
import org.ncf4j.server.model.ModelLoader;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.onnxruntime.ExecutionProvider;
import org.ncf4j.server.retrieval.ItemIndex;
import org.ncf4j.server.retrieval.RecallCheck;
import org.ncf4j.server.retrieval.RetrievalSettings;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.train.TrainingRun;

/**
 * Retrieval on MovieLens 1M: NeuMF at factor 8 trained by the trainer, exported, and loaded by the server with its
 * item index; every test user's top 10 through retrieval with C 370 (a tenth of the catalogue) against the exact
 * top 10 of the same model, seen items excluded: recall@10 at least 0.98, and HR@10 and NDCG@10 of the held-out
 * items within 0.002 of the exact ranking's.
 */
class RetrievalRealDataTest {
    private static final int C = 370;

    @TempDir
    Path dir;

    @Test
    void retrievalWithATenthOfTheCatalogueFindsTheExactTopTen() throws Exception {
        Split split = new NcfSplitFiles(RealData.dir()).read();
        Path bundleDir = dir.resolve("bundle");
        TrainConfig config = TrainConfig.builder().optVariant(Variant.NEUMF).optFactor(8).optEpochs(3).optThreads(2)
                .optFullRanking(false).build();
        TrainingRun.builder().setSplit(split).setConfig(config).setOutput(dir.resolve("run"))
                .optExport(bundleDir, false).build().run();
        ModelLoader loader = new ModelLoader(ExecutionProvider.choose("cpu", 0, (o, d) -> { }),
                new ModelLoader.Settings(1, Integer.MAX_VALUE, 256L << 20, new BatchSettings(8, 0, 100, 1, 0),
                        new BatchSettings(1000, 0, 100, 1, 0), RankingKernel.AUTO, new RetrievalSettings(
                        RetrievalMode.ON, C, 1, ItemIndex.Params.DEFAULT)),
                new KernelWarmUp(KernelWarmUp.MAX_NANOS), IoLoops.NONE, (call, n, q, r, inline) -> { });
        ServedModel m = loader.load("neumf", 1, bundleDir);
        try {
            assertTrue(m.retrieval().available(), m.retrieval().description());
            Bundle bundle = m.bundle();
            EvalSet test = split.test();
            RankingMetrics.Accumulator exact = new RankingMetrics.Accumulator(10);
            RankingMetrics.Accumulator retrieved = new RankingMetrics.Accumulator(10);
            double recall = 0;
            for (int i = 0; i < test.size(); i++) {
                int user = bundle.users().indexOf(split.users().id(test.users()[i]));
                int item = bundle.items().indexOf(split.items().id(test.positives()[i]));
                long[] seen = java.util.Arrays.stream(bundle.seen().items(user)).asLongStream().toArray();
                long[] e = m.rank(new ServedModel.RankQuery(user, seen, 10, 0), Long.MAX_VALUE)
                        .get(30, TimeUnit.SECONDS).items();
                long[] r = m.rank(new ServedModel.RankQuery(user, seen, 10, C), Long.MAX_VALUE)
                        .get(30, TimeUnit.SECONDS).items();
                recall += RecallCheck.recall(r, e);
                exact.add(position(e, item));
                retrieved.add(position(r, item));
            }
            recall /= test.size();
            System.out.printf("retrieval on MovieLens 1M, NeuMF factor 8, C %d: recall@10 %.4f; HR@10 %.6f against "
                    + "%.6f exactly, NDCG@10 %.6f against %.6f%n", C, recall, retrieved.hitRate(), exact.hitRate(),
                    retrieved.ndcg(), exact.ndcg());
            assertEquals(6040, test.size());
            assertTrue(recall >= 0.98, "recall@10 of retrieval against exact: " + recall);
            assertEquals(exact.hitRate(), retrieved.hitRate(), 0.002, "HR@10");
            assertEquals(exact.ndcg(), retrieved.ndcg(), 0.002, "NDCG@10");
            assertTrue(exact.hitRate() > 0.03, "a model that ranks: HR@10 " + exact.hitRate());
        } finally {
            m.close();
        }
    }

    /** Where {@code item} stands in {@code top} (10: not in it). */
    private static int position(long[] top, int item) {
        for (int j = 0; j < top.length; j++) {
            if (top[j] == item) {
                return j;
            }
        }
        return 10;
    }
}
