package org.ncf4j.trainer.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.data.NcfSplitFiles;
import org.ncf4j.data.Split;
import org.ncf4j.data.RealData;
import org.ncf4j.contract.Variant;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.TrainConfig;

/**
 * One epoch of GMF on MovieLens 1M (the NCF paper's split) must reach HR@10 >= 0.45. Reads the directory named by
 * NCF_DATA_DIR; when CI=true a missing directory fails the test instead of skipping it.
 */
class RealDataTrainingTest {

    @Test
    void oneEpochOfGmfOnMovieLensReachesHitRate045(@TempDir Path out) throws Exception {
        Split split = new NcfSplitFiles(RealData.dir()).read();
        TrainConfig config = TrainConfig.builder().optVariant(Variant.GMF).optEpochs(1).optThreads(2)
                .optFullRanking(false).build();
        TrainingReport report = TrainingRun.builder().setSplit(split).setConfig(config).setOutput(out).build().run();
        assertTrue(report.bestHitRate() >= 0.45, "HR@10 after one epoch: " + report.bestHitRate());
        assertTrue(report.bestNdcg() > 0.2, "NDCG@10 after one epoch: " + report.bestNdcg());
    }
}
