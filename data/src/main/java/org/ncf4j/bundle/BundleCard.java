package org.ncf4j.bundle;

import java.util.List;
import java.util.Map;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;

/**
 * {@code card.json}: what a bundle holds and how it was made.
 *
 * @param formatVersion the bundle format; readers refuse versions they do not know
 * @param variant gmf, mlp or neumf
 * @param factor GMF embedding size (0 for MLP)
 * @param layers MLP layer sizes (empty for GMF)
 * @param numUsers rows of the user side: lines of users.txt, rows of seen.csr
 * @param numItems items: lines of items.txt, entries of popularity.bin
 * @param dataset the dataset's name and a fingerprint of its training pairs
 * @param training the training settings
 * @param metrics the metrics reached (HR/NDCG at the best epoch, full ranking)
 * @param createdAt ISO-8601 time of export
 * @param producer what wrote the bundle
 * @param graphs the ONNX files by role: "score" (pairs to probabilities) and "rank" (top-k over the catalogue)
 * @param files SHA-256 (lower-case hex) of every other file in the bundle, by file name
 */
public record BundleCard(int formatVersion, String variant, int factor, List<Integer> layers, int numUsers,
                         int numItems, Map<String, String> dataset, Map<String, Object> training,
                         Map<String, Object> metrics, String createdAt, String producer, Map<String, String> graphs,
                         Map<String, String> files) {

    /**
     * The format this code writes: 2, the model's tables in one data file shared by both graphs (ONNX external
     * data). It also reads {@link #FIRST_FORMAT_VERSION}, whose graphs hold their tables inline.
     */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format this code reads. */
    public static final int FIRST_FORMAT_VERSION = 1;

    /** Absent entries read as empty, so that no reader of a card meets a null. */
    public BundleCard {
        variant = variant == null ? "" : variant;
        layers = layers == null ? List.of() : layers;
        dataset = dataset == null ? Map.of() : dataset;
        training = training == null ? Map.of() : training;
        metrics = metrics == null ? Map.of() : metrics;
        createdAt = createdAt == null ? "" : createdAt;
        producer = producer == null ? "" : producer;
        graphs = graphs == null ? Map.of() : graphs;
        files = files == null ? Map.of() : files;
    }

    /**
     * The model's shape as the card describes it.
     *
     * @throws IllegalArgumentException when the variant, sizes, factor or layers describe no model
     */
    public ModelShape shape() {
        return new ModelShape(Variant.parse(variant), numUsers, numItems, factor,
                layers.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The same card listing these file hashes. */
    public BundleCard withFiles(Map<String, String> hashes) {
        return new BundleCard(formatVersion, variant, factor, layers, numUsers, numItems, dataset, training, metrics,
                createdAt, producer, graphs, hashes);
    }
}
