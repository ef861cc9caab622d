package org.ncf4j.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.report.TrainingReport;

/**
 * A run's epochs so far and which of them it keeps: the best, chosen by validation HR when the split has validation
 * items and by test HR otherwise, the first of equals ({@code model}); and, with validation items, the best by test
 * HR ({@code model-by-test}, the part a NeuMF is pretrained from under the paper's protocol). A NeuMF initialised
 * from GMF and MLP is a candidate too, as epoch 0, so that fine-tuning is kept only if it does better.
 */
final class BestCheckpoints {
    /**
     * Which checkpoints an epoch's model replaces.
     *
     * @param best the best checkpoint
     * @param byTest the checkpoint of the best test HR (never without validation items)
     */
    record Kept(boolean best, boolean byTest) {
    }

    private final boolean byValidation;
    private final List<EpochRecord> records;
    private EpochRecord initial;
    private EpochRecord best;
    private EpochRecord bestByTest;

    private BestCheckpoints(boolean byValidation, List<EpochRecord> records, EpochRecord initial, EpochRecord best) {
        this.byValidation = byValidation;
        this.records = new ArrayList<>(records);
        this.initial = initial;
        this.best = best;
        this.bestByTest = EpochRecord.bestByTest(TrainingReport.candidates(initial, records));
    }

    /** A run that has no epoch yet; {@code byValidation} when its split has validation items. */
    static BestCheckpoints none(boolean byValidation) {
        return new BestCheckpoints(byValidation, List.of(), null, null);
    }

    /** A run that goes on from its saved progress. */
    static BestCheckpoints resumed(boolean byValidation, TrainingState.Progress saved) {
        List<EpochRecord> candidates = TrainingReport.candidates(saved.initial(), saved.records());
        EpochRecord best = candidates.stream().filter(r -> r.epoch() == saved.bestEpoch()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the saved best epoch " + saved.bestEpoch()
                        + " is not among the saved epochs"));
        return new BestCheckpoints(byValidation, saved.records(), saved.initial(), best);
    }

    /**
     * Adds the next epoch's record, or the initialised model's (epoch 0, before any other); returns which
     * checkpoints its model replaces.
     */
    Kept add(EpochRecord record) {
        if (record.epoch() == 0) {
            if (initial != null || !records.isEmpty()) {
                throw new IllegalStateException("epoch 0, the initialised model, comes first and once");
            }
            initial = record;
        } else {
            records.add(record);
        }
        boolean isBest = best == null || score(record) > score(best);
        if (isBest) {
            best = record;
        }
        boolean isBestByTest = bestByTest == null || record.hitRate() > bestByTest.hitRate();
        if (isBestByTest) {
            bestByTest = record;
        }
        return new Kept(isBest, byValidation && isBestByTest);
    }

    /** The checkpoints the model of {@code epoch} is in. */
    Kept keptAt(int epoch) {
        return new Kept(bestEpoch() == epoch, byValidation && bestByTest != null && bestByTest.epoch() == epoch);
    }

    /** The progress to save after the last epoch added. */
    TrainingState.Progress progress(double elapsedSeconds, String started, JsonNode settings, String fingerprint,
                                    int averaged) {
        return new TrainingState.Progress(records.get(records.size() - 1).epoch(), bestEpoch(), score(best),
                bestHitRate(), bestNdcg(), List.copyOf(records), initial, elapsedSeconds, started, settings,
                fingerprint, averaged);
    }

    /** What chooses the best epoch, as the report says it: "validation HR@10" or "test HR@10". */
    String selectedBy(int k) {
        return (byValidation ? "validation" : "test") + " HR@" + k;
    }

    /** The epochs added, epoch 0 aside. */
    List<EpochRecord> records() {
        return List.copyOf(records);
    }

    /** The initialised model's record, or null. */
    EpochRecord initial() {
        return initial;
    }

    /** The best epoch (0: the initialised model, or no epoch yet). */
    int bestEpoch() {
        return best == null ? 0 : best.epoch();
    }

    /** Test HR of the best epoch. */
    double bestHitRate() {
        return best == null ? 0 : best.hitRate();
    }

    /** Test NDCG of the best epoch. */
    double bestNdcg() {
        return best == null ? 0 : best.ndcg();
    }

    /** What an epoch is chosen by: its validation HR when there are validation items, else its test HR. */
    private static double score(EpochRecord r) {
        return r.validationHitRate() != null ? r.validationHitRate() : r.hitRate();
    }
}
