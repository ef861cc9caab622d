package org.ncf4j.trainer.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.data.Directories;
import org.ncf4j.data.Split;
import org.ncf4j.eval.UserSample;
import org.ncf4j.trainer.eval.EvalResult;
import org.ncf4j.trainer.eval.EvalThreads;
import org.ncf4j.trainer.eval.EvalUsers;
import org.ncf4j.trainer.eval.FullRankingEvaluator;
import org.ncf4j.trainer.export.BundleExporter;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.report.TrainingChart;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.TrainConfig;

/**
 * What a finished run leaves of its best model: its full-ranking figures (unless turned off), {@code report.json}
 * and {@code training.png}, and a bundle when asked for one.
 */
final class RunResults {
    private final Split split;
    private final TrainConfig config;
    private final RunFolder folder;
    private final TrainingRun.Listener listener;
    private final EvalUsers users;

    RunResults(Split split, EvalUsers users, TrainConfig config, RunFolder folder, TrainingRun.Listener listener) {
        this.split = split;
        this.users = users;
        this.config = config;
        this.folder = folder;
        this.listener = listener;
    }

    /**
     * Writes the report and its chart of a run whose best checkpoint is {@code best}.
     *
     * @param settings the run's settings as the report records them
     * @param provenance where the data and the code came from ({@link org.ncf4j.trainer.report.Provenance})
     */
    TrainingReport report(NcfModel best, BestCheckpoints epochs, Map<String, Object> settings, RunClock clock,
                          Map<String, Object> provenance) throws IOException {
        Map<String, Object> full = config.fullRanking() ? fullRanking(best, epochs.bestEpoch()) : null;
        TrainingReport report = new TrainingReport(split.summary(), settings, epochs.records(), epochs.initial(),
                epochs.bestEpoch(), epochs.selectedBy(config.topK()), epochs.bestHitRate(), epochs.bestNdcg(), full,
                clock.seconds(), provenance, users.report(full != null));
        report.write(folder.report());
        TrainingChart.write(report, config.topK(), folder.chart());
        return report;
    }

    /**
     * Exports the best model as a bundle to {@code dir}; with {@code replace} a bundle already there goes first
     * (the run's own {@code <out>/bundle}), else {@code dir} must not exist.
     */
    void export(NcfModel best, TrainingReport report, Path dir, boolean replace) throws IOException {
        long e0 = System.nanoTime();
        if (replace) {
            Directories.deleteTree(dir);
        }
        BundleExporter.export(best, split, report, dir);
        listener.message(String.format("exported the best model (epoch %d) to %s in %.2f s", report.bestEpoch(), dir,
                (System.nanoTime() - e0) / 1e9));
    }

    /** HR and NDCG of the test item ranked against every item the user has not interacted with. */
    private Map<String, Object> fullRanking(NcfModel best, int bestEpoch) {
        EvalResult f;
        try (EvalThreads threads = new EvalThreads(config.threads())) {
            f = new FullRankingEvaluator(users.fullRanking(), split.train(), split.validation(), config.topK(),
                    EpochLoop.EVAL_BATCH, threads).evaluate(best);
        }
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("hitRate", f.hitRate());
        full.put("ndcg", f.ndcg());
        full.put("users", f.users());
        full.put("seconds", f.seconds());
        listener.message(String.format("full ranking (best epoch %d, test item against all %,d items the user has not "
                + "interacted with; %s): HR@%d %.4f NDCG@%d %.4f (%.1f s)", bestEpoch, split.numItems(),
                UserSample.describe(f.users(), users.testUsers()), config.topK(), f.hitRate(), config.topK(),
                f.ndcg(), f.seconds()));
        return full;
    }
}
