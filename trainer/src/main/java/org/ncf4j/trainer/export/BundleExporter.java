package org.ncf4j.trainer.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.Sha256;
import org.ncf4j.data.Split;
import org.ncf4j.data.UserItems;
import org.ncf4j.graph.BundleBuilder;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.report.TrainingReport;

/**
 * Exports a trained model and the data it needs at serving time as a bundle (see {@link BundleBuilder}): the
 * card's dataset entry comes from the split, its settings and metrics from the training report.
 */
public final class BundleExporter {
    private BundleExporter() {
    }

    /**
     * @param model the trained model
     * @param split the split it was trained on (ids, training items)
     * @param report the training report for the card's settings and metrics, or null
     * @param dir the bundle directory to create
     */
    public static BundleCard export(NcfModel model, Split split, TrainingReport report, Path dir)
            throws IOException {
        ModelShape spec = model.spec();
        if (spec.numUsers() != split.numUsers() || spec.numItems() != split.numItems()) {
            throw new IllegalArgumentException("the model has " + spec.numUsers() + " users and " + spec.numItems()
                    + " items, the data " + split.numUsers() + " and " + split.numItems()
                    + ": it was trained on other data");
        }
        UserItems train = split.train();
        Map<String, String> dataset = new LinkedHashMap<>();
        dataset.put("name", split.name());
        dataset.put("fingerprint", fingerprint(train));
        dataset.put("summary", split.summary());
        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> training = new LinkedHashMap<>();
        if (report != null) {
            training.putAll(report.settings());
            if (report.provenance() != null) {
                training.put("provenance", report.provenance());
            }
            metrics.put("selectedBy", report.selectedBy());
            metrics.put("bestEpoch", report.bestEpoch());
            metrics.put("hitRate", report.bestHitRate());
            metrics.put("ndcg", report.bestNdcg());
            if (report.fullRanking() != null) {
                metrics.put("fullRanking", report.fullRanking());
            }
        }
        return BundleBuilder.write(dir, model.weights(), split.users(), split.items(), train, dataset, training,
                metrics);
    }

    /** Identifies a dataset by its training pairs. */
    public static String fingerprint(UserItems train) {
        return "sha256:" + Sha256.of(new int[] {train.numUsers(), train.numItems()}, train.offsets(),
                train.flatItems());
    }
}
