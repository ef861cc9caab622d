package org.ncf4j.trainer.train;

import org.ncf4j.trainer.eval.EvalUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;

class RunResultsTest {
    @TempDir
    Path dir;

    private final Split split = GroupedData.small(false);
    private final List<String> messages = new ArrayList<>();
    private final TrainingRun.Listener listener = new TrainingRun.Listener() {
        @Override
        public void message(String line) {
            messages.add(line);
        }
    };

    private NcfModel model() {
        return NcfModel.create(new ModelShape(Variant.GMF, split.numUsers(), split.numItems(), 4, new int[] {16, 8}),
                Device.cpu(), 1, 0, 0);
    }

    private static BestCheckpoints twoEpochs() {
        BestCheckpoints epochs = BestCheckpoints.none(false);
        epochs.add(new EpochRecord(1, 0.6, 0.4, 0.2, null, null, 1000, 1, 0.1, 0, 1));
        epochs.add(new EpochRecord(2, 0.5, 0.3, 0.1, null, null, 1000, 1, 0.1, 0, 2));
        return epochs;
    }

    @Test
    void theReportAndChartSayWhatTheEpochsChoseWithTheFullRankingOfTheBestModel() throws Exception {
        TrainConfig config = TrainConfig.builder().optVariant(Variant.GMF).optFactor(4).optEpochs(2).build();
        RunFolder folder = new RunFolder(dir);
        Map<String, Object> settings = TrainSetting.report(config, Device.cpu());
        try (NcfModel best = model()) {
            TrainingReport report = new RunResults(split, EvalUsers.of(split, 0, 0, 1), config, folder, listener).report(best, twoEpochs(),
                    settings, RunClock.start(), Map.of("date", "today"));
            TrainingReport written = TrainingReport.read(folder.report());
            assertEquals(report.epochs(), written.epochs());
            assertEquals(report.fullRanking().get("hitRate"), written.fullRanking().get("hitRate"));
            assertTrue(Files.size(folder.chart()) > 0);
            assertEquals(1, report.bestEpoch());
            assertEquals(0.4, report.bestHitRate());
            assertEquals("test HR@10", report.selectedBy());
            assertEquals(settings, report.settings());
            assertEquals(List.of("hitRate", "ndcg", "users", "seconds"), List.copyOf(report.fullRanking().keySet()));
            assertTrue(messages.get(0).startsWith("full ranking (best epoch 1, test item against all"), messages.get(0));

            TrainConfig skip = TrainConfig.builder().optVariant(Variant.GMF).optFullRanking(false).build();
            assertNull(new RunResults(split, EvalUsers.of(split, 0, 0, 1), skip, folder, listener).report(best, twoEpochs(), settings,
                    RunClock.start(), Map.of()).fullRanking());
        }
    }

    @Test
    void theBestModelIsExportedReplacingTheRunsOwnBundleOnly() throws Exception {
        TrainConfig config = TrainConfig.builder().optVariant(Variant.GMF).optFactor(4).optFullRanking(false).build();
        RunResults results = new RunResults(split, EvalUsers.of(split, 0, 0, 1), config, new RunFolder(dir), listener);
        try (NcfModel best = model()) {
            TrainingReport report = results.report(best, twoEpochs(), TrainSetting.report(config, Device.cpu()),
                    RunClock.start(), Map.of());
            Path bundle = dir.resolve("bundle");
            results.export(best, report, bundle, true);
            assertEquals("gmf", Bundle.read(bundle).card().variant());
            assertTrue(messages.get(messages.size() - 1).startsWith("exported the best model (epoch 1) to "
                    + bundle));
            results.export(best, report, bundle, true);
            assertNotNull(Bundle.read(bundle).card());
            Exception e = assertThrows(Exception.class, () -> results.export(best, report, bundle, false));
            assertTrue(e.getMessage().contains(bundle.toString()), e.getMessage());
            assertFalse(Files.exists(dir.resolve("bundle-2")));
        }
    }
}
