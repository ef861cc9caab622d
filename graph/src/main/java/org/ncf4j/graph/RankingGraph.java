package org.ncf4j.graph;

import static org.ncf4j.contract.GraphIO.EXCLUDE;
import static org.ncf4j.contract.GraphIO.ITEMS;
import static org.ncf4j.contract.GraphIO.K;
import static org.ncf4j.contract.GraphIO.SCORES;
import static org.ncf4j.contract.GraphIO.USER;
import static org.ncf4j.contract.TensorNames.GMF_ITEM_EMBEDDING;
import static org.ncf4j.contract.TensorNames.GMF_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.GMF_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_0_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.MLP_0_USER_WEIGHT;
import static org.ncf4j.contract.TensorNames.MLP_ITEM_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.MLP_OUTPUT_WEIGHT;
import static org.ncf4j.contract.TensorNames.MLP_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_USER_OUTPUT_WEIGHT;
import static org.ncf4j.contract.TensorNames.OUTPUT_BIAS;
import static org.ncf4j.contract.TensorNames.OUTPUT_WEIGHT;
import static org.ncf4j.graph.OnnxGraph.attr;

import java.util.List;
import java.util.Map;
import org.ncf4j.bundle.WeightsFile;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.onnx.OnnxProto.TensorProto.DataType;

/**
 * The whole-catalogue ranking graph: the k best items for each of a batch of users, with chosen items excluded.
 *
 * <p>Inputs and outputs as {@link org.ncf4j.contract.GraphIO} names them: {@code user} (int64 [B]); {@code exclude}
 * (int64 [M, 2], rows of (position in the batch, item) that must not be recommended; M may be 0); {@code k} (int64
 * [1]). Outputs: {@code items} (int64 [B, k], best first) and {@code scores} (float32 [B, k], their probabilities;
 * excluded items, if k leaves no other choice, come last with score 0).
 *
 * <p>The item side is precomputed at export, as the design notes sketch: GMF's item embeddings are multiplied by
 * the output layer's GMF weights ({@code h_G * q_i}, stored [factor, items]); the first MLP layer splits into a
 * user part and an item part ({@code W1 [p; q] + b1 = W1u p + (W1i q + b1)}), the item part stored
 * [layer-1 width, items]. Per request there remain one user computation, the narrow MLP layers for every item, and
 * TopK on the logits (not on probabilities, which saturate to 1 and would tie). The constants are named and shaped
 * as {@link ModelShape#rankingConstants} says.
 */
public final class RankingGraph {
    private RankingGraph() {
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
        int items = spec.numItems();
        OnnxGraph g = new OnnxGraph("ncf_" + spec.variant().label() + "_rank",
                "Ranks every item for a batch of users with " + spec, weights, pieces);
        g.input(USER, DataType.INT64, "dense user indices", "B");
        g.input(EXCLUDE, DataType.INT64, "(row in the batch, item) pairs to leave out", "M", 2);
        g.input(K, DataType.INT64, "how many items to return per user (at most the number of items)", 1);
        float[] out = w.get(OUTPUT_WEIGHT);
        String logits = null;
        if (spec.variant().hasGmf()) {
            int f = spec.factor();
            float[] q = w.get(GMF_ITEM_EMBEDDING);
            float[] weighted = new float[f * items];
            for (int i = 0; i < items; i++) {
                for (int j = 0; j < f; j++) {
                    weighted[j * items + i] = out[j] * q[i * f + j];
                }
            }
            String pu = TableLookup.gather(g, w, GMF_USER_EMBEDDING, USER, "gmf_user");
            logits = g.node("MatMul", "gmf_logits", List.of(pu, g.floats(GMF_ITEM_SIDE, weighted, f, items)));
        }
        if (spec.variant().hasMlp()) {
            logits = mlp(g, w, logits);
        }
        String all = g.node("Add", "logits", List.of(logits, ScoringGraph.embedding(g, w, OUTPUT_BIAS)));
        String excludeShape = g.node("Shape", "exclude_shape", List.of(EXCLUDE));
        String count = g.node("Slice", "exclude_count", List.of(excludeShape, g.longs("zero", new long[] {0}, 1),
                g.longs("one", new long[] {1}, 1)));
        TensorProto minusInf = TensorProto.newBuilder().setDataType(DataType.FLOAT.getNumber()).addDims(1)
                .addFloatData(Float.NEGATIVE_INFINITY).build();
        String fill = g.node("ConstantOfShape", "exclude_fill", List.of(count), attr("value", minusInf));
        String masked = g.node("ScatterND", "masked_logits", List.of(all, EXCLUDE, fill));
        List<String> top = g.node("TopK", List.of("top_logits", ITEMS), List.of(masked, K), attr("axis", -1),
                attr("largest", 1), attr("sorted", 1));
        g.node("Sigmoid", SCORES, List.of(top.get(0)));
        g.output(ITEMS, DataType.INT64, "dense item indices, best first", "B", "k");
        g.output(SCORES, DataType.FLOAT, "their probabilities", "B", "k");
        return g.model(version, "NCF " + spec + ": top-k items per user over the whole catalogue", metadata);
    }

    /** Adds the MLP's per-item logits [B, items] (plus {@code gmf} when given) and returns their name. */
    private static String mlp(OnnxGraph g, ModelWeights w, String gmf) {
        ModelShape spec = w.shape();
        if (spec.layers().length == 1) {
            return mlpWithoutHiddenLayers(g, w, gmf);
        }
        int items = spec.numItems();
        int half = spec.mlpEmbedding();
        int[] layers = spec.layers();
        int width = layers[1];
        float[] w1 = w.get(TensorNames.mlpWeight(0)); // [width, 2 * half]: user columns first, then item columns
        float[] b1 = w.get(TensorNames.mlpBias(0));
        float[] q = w.get(MLP_ITEM_EMBEDDING);
        float[] userPart = new float[width * half];
        float[] itemSide = new float[width * items];
        for (int o = 0; o < width; o++) {
            System.arraycopy(w1, o * 2 * half, userPart, o * half, half);
            for (int i = 0; i < items; i++) {
                double s = b1[o];
                for (int j = 0; j < half; j++) {
                    s += (double) w1[o * 2 * half + half + j] * q[i * half + j];
                }
                itemSide[o * items + i] = (float) s;
            }
        }
        // Items run along the last axis, [B, width, items], so that every broadcast (user part, biases) has a
        // long inner span and every layer is one matrix product W [out, in] x H [in, items] per user.
        String pu = TableLookup.gather(g, w, MLP_USER_EMBEDDING, USER, "mlp_user");
        String u = g.node("Gemm", "mlp_0_user", List.of(pu, g.floats(MLP_0_USER_WEIGHT, userPart, width, half)),
                attr("transB", 1));
        String u3 = g.node("Unsqueeze", "mlp_0_user_3d", List.of(u, g.longs("axis_2", new long[] {2}, 1)));
        String h = g.node("Relu", "mlp_0", List.of(g.node("Add", "mlp_0_linear", List.of(u3,
                g.floats(MLP_0_ITEM_SIDE, itemSide, width, items)))));
        for (int k = 1; k < layers.length - 1; k++) {
            String mm = g.node("MatMul", "mlp_" + k + "_matmul", List.of(g.floats(TensorNames.mlpWeight(k),
                    w.get(TensorNames.mlpWeight(k)), layers[k + 1], layers[k]), h));
            String add = g.node("Add", "mlp_" + k + "_linear", List.of(mm, g.floats(TensorNames.mlpBiasColumn(k),
                    w.get(TensorNames.mlpBias(k)), layers[k + 1], 1)));
            h = g.node("Relu", "mlp_" + k, List.of(add));
        }
        int last = layers[layers.length - 1];
        float[] out = w.get(OUTPUT_WEIGHT);
        int offset = spec.variant().hasGmf() ? spec.factor() : 0;
        float[] hm = new float[last];
        System.arraycopy(out, offset, hm, 0, last);
        String m3 = g.node("MatMul", "mlp_logits_3d", List.of(g.floats(MLP_OUTPUT_WEIGHT, hm, 1, last), h));
        String m = g.node("Squeeze", "mlp_logits", List.of(m3, g.longs("axis_1", new long[] {1}, 1)));
        return gmf == null ? m : g.node("Add", "neumf_logits", List.of(gmf, m));
    }

    /**
     * MLP-0 of the paper (one layer size: the concatenated embeddings feed the output layer directly): the logit
     * splits into a user term and a per-item term, the latter precomputed as [1, items].
     */
    private static String mlpWithoutHiddenLayers(OnnxGraph g, ModelWeights w, String gmf) {
        ModelShape spec = w.shape();
        int items = spec.numItems();
        int half = spec.mlpEmbedding();
        float[] out = w.get(OUTPUT_WEIGHT);
        int offset = spec.variant().hasGmf() ? spec.factor() : 0;
        float[] q = w.get(MLP_ITEM_EMBEDDING);
        float[] userWeight = new float[half];
        System.arraycopy(out, offset, userWeight, 0, half);
        float[] itemSide = new float[items];
        for (int i = 0; i < items; i++) {
            double s = 0;
            for (int j = 0; j < half; j++) {
                s += (double) out[offset + half + j] * q[i * half + j];
            }
            itemSide[i] = (float) s;
        }
        String pu = TableLookup.gather(g, w, MLP_USER_EMBEDDING, USER, "mlp_user");
        String u = g.node("MatMul", "mlp_user_logit", List.of(pu, g.floats(MLP_USER_OUTPUT_WEIGHT, userWeight,
                half, 1)));
        String m = g.node("Add", "mlp_logits", List.of(u, g.floats(MLP_ITEM_SIDE, itemSide, 1, items)));
        return gmf == null ? m : g.node("Add", "neumf_logits", List.of(gmf, m));
    }
}
