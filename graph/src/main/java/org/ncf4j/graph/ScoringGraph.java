package org.ncf4j.graph;

import static org.ncf4j.contract.GraphIO.ITEM;
import static org.ncf4j.contract.GraphIO.LOGIT;
import static org.ncf4j.contract.GraphIO.SCORE;
import static org.ncf4j.contract.GraphIO.USER;
import static org.ncf4j.contract.TensorNames.GMF_ITEM_EMBEDDING;
import static org.ncf4j.contract.TensorNames.GMF_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_ITEM_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.OUTPUT_BIAS;
import static org.ncf4j.contract.TensorNames.OUTPUT_WEIGHT;
import static org.ncf4j.graph.OnnxGraph.attr;

import java.util.List;
import java.util.Map;
import org.ncf4j.bundle.WeightsFile;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto.DataType;

/**
 * The pair-scoring graph, with the inputs and outputs {@link org.ncf4j.contract.GraphIO} names: {@code user} and
 * {@code item} (int64 [N]) give {@code score} (float32 [N], the probability that the user interacts with the item)
 * and {@code logit} (float32 [N], the score before the sigmoid, which keeps the order where float32 probabilities
 * saturate at 1). The training model's computation (see {@link ModelShape#parameters}) followed by a sigmoid:
 * Gather, Mul, Concat, Gemm, Relu, Reshape and Sigmoid only, and the lookup's Sub, Min, Max, GreaterOrEqual,
 * Unsqueeze and Where for a table declared in pieces ({@link TableLookup}).
 */
public final class ScoringGraph {
    private ScoringGraph() {
    }

    /** The graph with every weight inline (one protobuf message: under 2 GB in all). */
    public static ModelProto build(ModelWeights w, String version, Map<String, String> metadata) {
        return build(w, version, metadata, null);
    }

    /**
     * The graph with the model's tables as external data in {@code weights} (which both graphs of a bundle share),
     * or inline when it is null; a table too large for one buffer is declared in pieces ({@link TablePieces}).
     */
    public static ModelProto build(ModelWeights w, String version, Map<String, String> metadata,
                                   WeightsFile weights) {
        return build(w, version, metadata, weights, TablePieces.DEFAULT);
    }

    /**
     * As above, with the external tables it gathers rows from declared in pieces as {@code pieces} says (tests
     * split small tables; both graphs of a bundle must be given the same).
     */
    public static ModelProto build(ModelWeights w, String version, Map<String, String> metadata,
                                   WeightsFile weights, TablePieces pieces) {
        ModelShape spec = w.shape();
        OnnxGraph g = new OnnxGraph("ncf_" + spec.variant().label() + "_score",
                "Scores (user, item) pairs with " + spec, weights, pieces);
        g.input(USER, DataType.INT64, "dense user indices (see the bundle's users.txt)", "N");
        g.input(ITEM, DataType.INT64, "dense item indices (see the bundle's items.txt)", "N");
        String features = null;
        if (spec.variant().hasGmf()) {
            String pu = TableLookup.gather(g, w, GMF_USER_EMBEDDING, USER, "gmf_user");
            String qi = TableLookup.gather(g, w, GMF_ITEM_EMBEDDING, ITEM, "gmf_item");
            features = g.node("Mul", "gmf", List.of(pu, qi));
        }
        if (spec.variant().hasMlp()) {
            String pu = TableLookup.gather(g, w, MLP_USER_EMBEDDING, USER, "mlp_user");
            String qi = TableLookup.gather(g, w, MLP_ITEM_EMBEDDING, ITEM, "mlp_item");
            String x = g.node("Concat", "mlp_input", List.of(pu, qi), attr("axis", 1));
            for (int k = 0; k < w.mlpLayers(); k++) {
                String weight = embedding(g, w, TensorNames.mlpWeight(k));
                String bias = embedding(g, w, TensorNames.mlpBias(k));
                String linear = g.node("Gemm", "mlp_" + k + "_linear", List.of(x, weight, bias),
                        attr("transB", 1));
                x = g.node("Relu", "mlp_" + k, List.of(linear));
            }
            features = features == null ? x : g.node("Concat", "neumf", List.of(features, x), attr("axis", 1));
        }
        String logit2d = g.node("Gemm", "logit_column", List.of(features, embedding(g, w, OUTPUT_WEIGHT),
                embedding(g, w, OUTPUT_BIAS)), attr("transB", 1));
        String flat = g.longs("flat_shape", new long[] {-1}, 1);
        String logit = g.node("Reshape", LOGIT, List.of(logit2d, flat));
        g.node("Sigmoid", SCORE, List.of(logit));
        g.output(SCORE, DataType.FLOAT, "probability of an interaction, in input order", "N");
        g.output(LOGIT, DataType.FLOAT, "the score before the sigmoid; rank by it, since probabilities round "
                + "to exactly 1 for large logits", "N");
        return g.model(version, "NCF " + spec + ": score = sigmoid(logit(user, item))", metadata);
    }

    /**
     * Adds a parameter as an initializer under its own name; a table goes to the data file as it is given (read a
     * block at a time when written), so both graphs refer to the same bytes.
     */
    static String embedding(OnnxGraph g, ModelWeights w, String name) {
        return g.external(name) ? g.floats(name, w.source(name), w.dims(name))
                : g.floats(name, w.get(name), w.dims(name));
    }
}
