package org.ncf4j.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.data.LeaveOneOut;
import org.ncf4j.data.Split;
import org.ncf4j.contract.Variant;
import org.ncf4j.trainer.eval.SampledEvaluator;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.SavedModel;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.TrainConfig;

/**
 * With validation items, a run keeps two checkpoints: {@code model}, the epoch the validation item chose, and
 * {@code model-by-test}, the epoch of the best test HR (the part a NeuMF is pretrained from under the paper's
 * protocol). Each is checked by evaluating it again: it must score what its epoch scored in training.
 */
class CheckpointChoiceTest {
    @TempDir
    Path dir;

    @Test
    void theValidationChoiceAndTheBestTestEpochAreEachKept() throws Exception {
        Split split = new LeaveOneOut(true, 20, 2).split("synthetic", GroupedData.interactions(200, 60, 10, 8));
        TrainingReport report = TrainingRun.builder().setSplit(split).setConfig(config(15))
                .setOutput(dir.resolve("gmf")).build().run();
        EpochRecord bestTest = report.bestByTest();
        // on this data (noisy groups, a high learning rate) the three differ: GMF's figures are the same on every
        // processor, so the checks below tell each checkpoint from the others
        assertTrue(bestTest.epoch() != report.bestEpoch() && bestTest.epoch() != 15, "best test epoch "
                + bestTest.epoch() + ", validation's " + report.bestEpoch() + ": pick data where they differ");
        SampledEvaluator test = new SampledEvaluator(split.test(), 10, 1 << 16);
        assertEquals(report.bestHitRate(), hitRate(test, dir.resolve("gmf/model")), "validation's choice");
        assertEquals(bestTest.hitRate(), hitRate(test, dir.resolve("gmf/" + RunFolder.MODEL_BY_TEST)),
                "best test epoch " + bestTest.epoch());
        assertEquals(SavedModel.readDataFingerprint(dir.resolve("gmf/model")),
                SavedModel.readDataFingerprint(dir.resolve("gmf/" + RunFolder.MODEL_BY_TEST)));

        // without validation items the best checkpoint is the test's, and there is no second one
        Split plain = new LeaveOneOut(false, 20, 1).split("synthetic", GroupedData.interactions(200, 60, 10, 8));
        TrainingRun.builder().setSplit(plain).setConfig(config(2)).setOutput(dir.resolve("plain")).build().run();
        assertTrue(Files.isDirectory(dir.resolve("plain/model")));
        assertFalse(Files.exists(dir.resolve("plain/" + RunFolder.MODEL_BY_TEST)));
    }

    private static double hitRate(SampledEvaluator test, Path checkpoint) throws Exception {
        try (NcfModel m = SavedModel.load(checkpoint, Device.cpu())) {
            return test.evaluate(m).hitRate();
        }
    }

    private static TrainConfig config(int epochs) {
        return TrainConfig.builder().optVariant(Variant.GMF).optFactor(4).optLayers(16, 8, 4).optEpochs(epochs)
                .optBatchSize(64).optLearningRate(0.05f).optSeed(3).optFullRanking(false).build();
    }
}
