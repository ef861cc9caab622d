package org.ncf4j.trainer.export;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.BundleWriter;
import org.ncf4j.bundle.Sha256;
import org.ncf4j.data.Split;
import org.ncf4j.data.UserItems;
import org.ncf4j.trainer.model.ModelSpec;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.report.TrainingReport;

/**
 * Exports a trained model and the data it needs at serving time as a bundle: the scoring and ranking graphs, the
 * card, the id maps, each user's training items and item popularity.
 */
public final class BundleExporter {
    /** Version of the software, written into the graphs and the card. */
    public static final String PRODUCER = "ncf4j 0.1.0";

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
        ModelSpec spec = model.spec();
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
            metrics.put("selectedBy", report.selectedBy());
            metrics.put("bestEpoch", report.bestEpoch());
            metrics.put("hitRate", report.bestHitRate());
            metrics.put("ndcg", report.bestNdcg());
            if (report.fullRanking() != null) {
                metrics.put("fullRanking", report.fullRanking());
            }
        }
        List<Integer> layers = new ArrayList<>();
        if (spec.variant().hasMlp()) {
            for (int l : spec.layers()) {
                layers.add(l);
            }
        }
        BundleCard card = new BundleCard(BundleCard.FORMAT_VERSION, spec.variant().label(),
                spec.variant().hasGmf() ? spec.factor() : 0, layers, spec.numUsers(), spec.numItems(), dataset,
                training, metrics, Instant.now().toString(), PRODUCER,
                Map.of("score", BundleFiles.SCORE_GRAPH, "rank", BundleFiles.RANK_GRAPH), Map.of());
        Map<String, String> meta = metadata(card);
        ModelWeights weights = ModelWeights.of(model);
        byte[] score = ScoringGraph.build(weights, PRODUCER, meta).toByteArray();
        byte[] rank = RankingGraph.build(weights, PRODUCER, meta).toByteArray();
        return BundleWriter.write(dir, card, score, rank, split.users(), split.items(), train, popularity(train));
    }

    /** Training interactions per item. */
    static int[] popularity(UserItems train) {
        int[] counts = new int[train.numItems()];
        for (int item : train.flatItems()) {
            counts[item]++;
        }
        return counts;
    }

    /** Identifies a dataset by its training pairs. */
    public static String fingerprint(UserItems train) {
        return "sha256:" + Sha256.of(new int[] {train.numUsers(), train.numItems()}, train.offsets(),
                train.flatItems());
    }

    /** The card's main entries as ONNX metadata properties, so the graphs describe themselves. */
    private static Map<String, String> metadata(BundleCard card) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ncf.format_version", Integer.toString(card.formatVersion()));
        m.put("ncf.variant", card.variant());
        m.put("ncf.factor", Integer.toString(card.factor()));
        m.put("ncf.layers", card.layers().toString());
        m.put("ncf.num_users", Integer.toString(card.numUsers()));
        m.put("ncf.num_items", Integer.toString(card.numItems()));
        m.put("ncf.dataset", card.dataset().get("name"));
        m.put("ncf.dataset_fingerprint", card.dataset().get("fingerprint"));
        card.metrics().forEach((k, v) -> {
            if (!(v instanceof Map)) {
                m.put("ncf.metrics." + k, String.valueOf(v));
            }
        });
        m.put("ncf.created_at", card.createdAt());
        return m;
    }
}
