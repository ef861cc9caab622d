package org.ncf4j.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.DataException;
import org.ncf4j.trainer.settings.FineTune;
import org.ncf4j.trainer.settings.OptimizerKind;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;

class ResumeCheckTest {
    @TempDir
    Path dir;

    /** The settings of the GMF run that saved {@link SavedStates#GMF}. */
    private static TrainConfig.Builder gmf() {
        return TrainConfig.builder().optVariant(Variant.GMF).optFactor(4).optLayers(16, 8, 4).optEpochs(2)
                .optBatchSize(64).optLearningRate(0.01f);
    }

    private static Map<String, Object> settings(TrainConfig.Builder config) {
        return TrainSetting.report(config.build(), Device.cpu());
    }

    private RunFolder saved(String header) throws IOException {
        SavedStates.write(dir, header);
        Files.createDirectories(dir.resolve(RunFolder.MODEL));
        return new RunFolder(dir);
    }

    @Test
    void aStateSavedBeforeTheListOfSettingsResumesWithTheSameSettings() throws IOException {
        RunFolder folder = saved(SavedStates.GMF);
        TrainingState.Progress p = ResumeCheck.saved(folder, SavedStates.GMF_FINGERPRINT, settings(gmf()));
        assertEquals(2, p.epochsDone());
        assertEquals(2, p.records().size());
        // more epochs and workers may be asked for
        assertEquals(2, ResumeCheck.saved(folder, SavedStates.GMF_FINGERPRINT, settings(gmf().optEpochs(5)
                .optThreads(2))).epochsDone());
    }

    @Test
    void aPretrainedAveragedStateSavedBeforeTheListResumesWithTheSameSettings() throws IOException {
        RunFolder folder = saved(SavedStates.PRETRAINED);
        TrainConfig.Builder config = TrainConfig.builder().optFactor(4).optLayers(16, 8, 4).optEpochs(3)
                .optBatchSize(64).optLearningRate(0.01f).optOptimizer(OptimizerKind.SGD)
                .optPretrainedGmf(Path.of("vgmf/model")).optPretrainedMlp(Path.of("vmlp/model")).optAlpha(0.3f)
                .optFineTune(FineTune.OUTPUT).optAverageFrom(2);
        TrainingState.Progress p = ResumeCheck.saved(folder, SavedStates.PRETRAINED_FINGERPRINT, settings(config));
        assertEquals(0, p.bestEpoch());
        assertEquals(2, p.averaged());
    }

    @Test
    void otherSettingsAreRefusedNamingEachWithBothValues() throws IOException {
        RunFolder folder = saved(SavedStates.GMF);
        ResumeRefused e = assertThrows(ResumeRefused.class, () -> ResumeCheck.saved(folder,
                SavedStates.GMF_FINGERPRINT, settings(gmf().optLearningRate(0.02f))));
        assertEquals("--resume: " + folder.state() + " was saved with other settings: learningRate (0.01, now 0.02); "
                + "only --epochs and --threads may change", e.getMessage());
        e = assertThrows(ResumeRefused.class, () -> ResumeCheck.saved(folder, SavedStates.GMF_FINGERPRINT,
                settings(gmf().optAverageFrom(2).optNegatives(8))));
        assertEquals("--resume: " + folder.state() + " was saved with other settings: negatives (4, now 8), "
                + "averageFrom (unset, now 2); only --epochs and --threads may change", e.getMessage());
    }

    @Test
    void otherDataIsRefused() throws IOException {
        RunFolder folder = saved(SavedStates.GMF);
        ResumeRefused e = assertThrows(ResumeRefused.class, () -> ResumeCheck.saved(folder, "sha256:other",
                settings(gmf())));
        assertEquals("--resume: " + folder.state() + " was saved by a run on other data than the data given (the "
                + "training pairs differ)", e.getMessage());
    }

    @Test
    void aStateWithoutItsBestCheckpointIsRefused() throws IOException {
        SavedStates.write(dir, SavedStates.GMF);
        DataException e = assertThrows(DataException.class, () -> ResumeCheck.saved(new RunFolder(dir),
                SavedStates.GMF_FINGERPRINT, settings(gmf())));
        assertEquals(dir.resolve("model") + " (the best checkpoint) is missing; start the run again without --resume",
                e.getMessage());
    }

    @Test
    void aFolderWithoutStateHasNothingToResume() throws IOException {
        assertNull(ResumeCheck.saved(new RunFolder(dir), SavedStates.GMF_FINGERPRINT, settings(gmf())));
    }
}
