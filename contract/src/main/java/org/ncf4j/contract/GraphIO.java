package org.ncf4j.contract;

import java.util.List;

/**
 * The inputs and outputs of a bundle's two ONNX graphs, by name: what the exporter writes, the bundle check
 * requires and the server feeds and reads.
 *
 * <p>Scoring graph: {@link #USER} and {@link #ITEM} (int64 [N], dense indices) give {@link #SCORE} (float32 [N],
 * probabilities) and {@link #LOGIT} (float32 [N], before the sigmoid). Ranking graph: {@link #USER} (int64 [B]),
 * {@link #EXCLUDE} (int64 [M, 2], rows of (position in the batch, item) left out) and {@link #K} (int64 [1]) give
 * {@link #ITEMS} (int64 [B, k], best first) and {@link #SCORES} (float32 [B, k], their probabilities).
 */
public final class GraphIO {
    public static final String USER = "user";
    public static final String ITEM = "item";
    public static final String SCORE = "score";
    public static final String LOGIT = "logit";
    public static final String EXCLUDE = "exclude";
    public static final String K = "k";
    public static final String ITEMS = "items";
    public static final String SCORES = "scores";

    /** The {@code producer_name} of the graphs ncf4j's exporter writes; the server's fused kernel reads only those. */
    public static final String PRODUCER = "ncf4j";

    /** The scoring graph's inputs, in order. */
    public static final List<String> SCORING_INPUTS = List.of(USER, ITEM);
    /** The scoring graph's outputs, in order. */
    public static final List<String> SCORING_OUTPUTS = List.of(SCORE, LOGIT);
    /** The ranking graph's inputs, in order. */
    public static final List<String> RANKING_INPUTS = List.of(USER, EXCLUDE, K);
    /** The ranking graph's outputs, in order. */
    public static final List<String> RANKING_OUTPUTS = List.of(ITEMS, SCORES);

    private GraphIO() {
    }
}
