package org.ncf4j.graph;

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
import org.ncf4j.bundle.WeightsFile;
import org.ncf4j.data.IdMap;
import org.ncf4j.data.UserItems;
import org.ncf4j.contract.ModelShape;

/**
 * Writes a model bundle from plain weights: builds the scoring and ranking graphs, their tables stored once in the
 * bundle's data file ({@link WeightsFile}), fills in the card (with its main entries also as the graphs' metadata
 * properties) and writes everything atomically through {@link BundleWriter}.
 * The trainer exports through it; tests and benchmarks build bundles of any size from {@link RandomWeights}.
 */
public final class BundleBuilder {
    /** Version of the software, written into the graphs and the card. */
    public static final String PRODUCER = "ncf4j 0.1.0";

    private BundleBuilder() {
    }

    /**
     * @param dir the bundle directory to create; must not exist
     * @param weights the model
     * @param users external user ids, one per user row of the model
     * @param items external item ids, one per item row
     * @param seen each user's training items (excluded from recommendations; popularity is counted from them)
     * @param dataset the card's dataset entry (at least {@code name} and {@code fingerprint})
     * @param training the training settings for the card
     * @param metrics the metrics reached, for the card
     * @return the card as written
     */
    public static BundleCard write(Path dir, ModelWeights weights, IdMap users, IdMap items, UserItems seen,
                                   Map<String, String> dataset, Map<String, Object> training,
                                   Map<String, Object> metrics) throws IOException {
        return write(dir, weights, users, items, seen, dataset, training, metrics, TablePieces.DEFAULT);
    }

    /**
     * As above, with the graphs' tables declared in pieces as {@code pieces} says ({@link TablePieces#DEFAULT}
     * above; tests split small tables to run the path of large ones).
     */
    public static BundleCard write(Path dir, ModelWeights weights, IdMap users, IdMap items, UserItems seen,
                                   Map<String, String> dataset, Map<String, Object> training,
                                   Map<String, Object> metrics, TablePieces pieces) throws IOException {
        ModelShape shape = weights.shape();
        if (users.size() != shape.numUsers() || items.size() != shape.numItems()
                || seen.numUsers() != shape.numUsers() || seen.numItems() != shape.numItems()) {
            throw new IllegalArgumentException("the model has " + shape.numUsers() + " users and "
                    + shape.numItems() + " items, the data " + users.size() + " and " + items.size()
                    + ": it was trained on other data");
        }
        List<Integer> layers = new ArrayList<>();
        if (shape.variant().hasMlp()) {
            for (int l : shape.layers()) {
                layers.add(l);
            }
        }
        BundleCard card = new BundleCard(BundleCard.FORMAT_VERSION, shape.variant().label(),
                shape.variant().hasGmf() ? shape.factor() : 0, layers, shape.numUsers(), shape.numItems(), dataset,
                training, metrics, Instant.now().toString(), PRODUCER,
                Map.of(BundleFiles.SCORE_ROLE, BundleFiles.SCORE_GRAPH, BundleFiles.RANK_ROLE,
                        BundleFiles.RANK_GRAPH), Map.of());
        Map<String, String> meta = metadata(card);
        WeightsFile tables = new WeightsFile();
        byte[] score = ScoringGraph.build(weights, PRODUCER, meta, tables, pieces).toByteArray();
        byte[] rank = RankingGraph.build(weights, PRODUCER, meta, tables, pieces).toByteArray();
        return BundleWriter.write(dir, card, score, rank, tables, users, items, seen, popularity(seen));
    }

    /** Training interactions per item. */
    public static int[] popularity(UserItems train) {
        int[] counts = new int[train.numItems()];
        for (int item : train.flatItems()) {
            counts[item]++;
        }
        return counts;
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
        m.put("ncf.dataset", String.valueOf(card.dataset().get("name")));
        m.put("ncf.dataset_fingerprint", String.valueOf(card.dataset().get("fingerprint")));
        card.metrics().forEach((k, v) -> {
            if (!(v instanceof Map)) {
                m.put("ncf.metrics." + k, String.valueOf(v));
            }
        });
        m.put("ncf.created_at", card.createdAt());
        return m;
    }
}
