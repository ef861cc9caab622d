package org.ncf4j.trainer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ncf4j.data.Directories;

/**
 * The machine-readable result of a training run, written as {@code report.json}.
 *
 * @param dataset the split's one-line summary
 * @param settings the training settings
 * @param epochs one record per epoch
 * @param initial a NeuMF initialised from GMF and MLP as evaluated before training (epoch 0, loss and speeds 0),
 *     a candidate for the best epoch like the others; null for a model trained from scratch
 * @param bestEpoch the epoch whose checkpoint was kept (1-based; 0: the initialised model, which no epoch of
 *     training beat)
 * @param selectedBy what chose the best epoch: "validation HR@K" or "test HR@K"
 * @param bestHitRate test HR@K of the best epoch
 * @param bestNdcg test NDCG@K of the best epoch
 * @param fullRanking full-ranking test HR@K and NDCG@K of the best model, or null when not computed
 * @param totalSeconds wall time of the whole run
 * @param provenance where the data came from, the code's version and commit, the date and the machine (see
 *     {@link Provenance}); null in reports written before it was recorded
 * @param evaluation which users the evaluations ranked: {@code testUsers} (all held-out test users),
 *     {@code evaluatedUsers} (those the per-epoch evaluation ranked: a seeded sample when fewer),
 *     {@code candidates} (pairs scored per epoch), {@code fullRankingUsers} when there was a full ranking, and
 *     {@code sampleSeed}; null in reports written before it was recorded
 */
public record TrainingReport(String dataset, Map<String, Object> settings, List<EpochRecord> epochs,
                             EpochRecord initial, int bestEpoch,
                             String selectedBy, double bestHitRate, double bestNdcg, Map<String, Object> fullRanking,
                             double totalSeconds, Map<String, Object> provenance, Map<String, Object> evaluation) {

    /** The record of the best epoch (the initialised model's when it is epoch 0). */
    public EpochRecord chosen() {
        return bestEpoch == 0 ? initial : epochs.get(bestEpoch - 1);
    }

    /** Every candidate for the best epoch in order: the initialised model (when there is one), then the epochs. */
    public List<EpochRecord> candidates() {
        return candidates(initial, epochs);
    }

    /** The candidates of a run with this initialised model (or null) and these epochs, in order. */
    public static List<EpochRecord> candidates(EpochRecord initial, List<EpochRecord> epochs) {
        List<EpochRecord> all = new java.util.ArrayList<>();
        if (initial != null) {
            all.add(initial);
        }
        all.addAll(epochs);
        return all;
    }

    /** The candidate with the best test HR, the first of equals (the paper's protocol). */
    public EpochRecord bestByTest() {
        return EpochRecord.bestByTest(candidates());
    }

    public void write(Path file) throws IOException {
        Directories.writeAtomically(file, to -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(to.toFile(), this));
    }

    public static TrainingReport read(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), TrainingReport.class);
    }
}
