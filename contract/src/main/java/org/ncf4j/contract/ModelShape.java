package org.ncf4j.contract;

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

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of an NCF model: variant, catalogue sizes, GMF factor and MLP layer sizes. It is the one definition of
 * the model's parameters ({@link #parameters}) and of the constants the ranking graph derives from them
 * ({@link #rankingConstants}): the training block, the ONNX graphs, the bundle checks and the server's fused kernel
 * all go by these names ({@link TensorNames}) and shapes.
 *
 * @param variant GMF, MLP or NeuMF
 * @param numUsers rows of the user embeddings
 * @param numItems rows of the item embeddings
 * @param factor GMF embedding size (ignored by MLP)
 * @param layers MLP layer sizes, first to last (e.g. 64, 32, 16, 8); the user and item MLP embeddings are
 *     {@code layers[0] / 2} wide each (ignored by GMF)
 */
public record ModelShape(Variant variant, int numUsers, int numItems, int factor, int[] layers) {

    public ModelShape {
        layers = layers.clone();
        if (numUsers < 1 || numItems < 1) {
            throw new IllegalArgumentException("the model needs at least one user and one item");
        }
        if (variant.hasGmf() && factor < 1) {
            throw new IllegalArgumentException("factor must be >= 1, got " + factor);
        }
        if (variant.hasMlp()) {
            if (layers.length < 1) {
                throw new IllegalArgumentException("the MLP needs at least one layer size");
            }
            if (layers[0] < 2 || layers[0] % 2 != 0) {
                throw new IllegalArgumentException("the first MLP layer size must be even (user and item "
                        + "embeddings are half of it each), got " + layers[0]);
            }
            for (int l : layers) {
                if (l < 1) {
                    throw new IllegalArgumentException("MLP layer sizes must be >= 1, got "
                            + Arrays.toString(layers));
                }
            }
        }
    }

    /**
     * Every parameter of the model by its stable name, in a fixed order, with its shape: {@code gmf_user_embedding}
     * [users, factor] and {@code gmf_item_embedding} [items, factor] (GMF and NeuMF); {@code mlp_user_embedding}
     * and {@code mlp_item_embedding} [rows, layers[0] / 2], then {@code mlp_<k>_weight} [layers[k + 1], layers[k]]
     * and {@code mlp_<k>_bias} [layers[k + 1]] (MLP and NeuMF); {@code output_weight} [1, predictive factors] and
     * {@code output_bias} [1]. Linear weights are stored [out, in].
     */
    public Map<String, long[]> parameters() {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (variant.hasGmf()) {
            out.put(GMF_USER_EMBEDDING, new long[] {numUsers, factor});
            out.put(GMF_ITEM_EMBEDDING, new long[] {numItems, factor});
        }
        if (variant.hasMlp()) {
            out.put(MLP_USER_EMBEDDING, new long[] {numUsers, mlpEmbedding()});
            out.put(MLP_ITEM_EMBEDDING, new long[] {numItems, mlpEmbedding()});
            for (int k = 0; k + 1 < layers.length; k++) {
                out.put(TensorNames.mlpWeight(k), new long[] {layers[k + 1], layers[k]});
                out.put(TensorNames.mlpBias(k), new long[] {layers[k + 1]});
            }
        }
        out.put(OUTPUT_WEIGHT, new long[] {1, predictiveFactors()});
        out.put(OUTPUT_BIAS, new long[] {1});
        return Collections.unmodifiableMap(out);
    }

    /**
     * The float constants of the whole-catalogue ranking graph by name, in a fixed order, with their shapes: the
     * user embeddings as trained; GMF's item side {@code h_G * q_i} [factor, items]; with hidden MLP layers, the
     * first layer split into its user columns [layers[1], half] and its item part with the bias [layers[1], items],
     * the further layers' weights [layers[k + 1], layers[k]] and biases as columns [layers[k + 1], 1], and the MLP's
     * output weights [1, last]; without hidden layers, the user's output weights [half, 1] and each item's term
     * [1, items]; then the output bias [1]. Items run along the last axis.
     */
    public Map<String, long[]> rankingConstants() {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (variant.hasGmf()) {
            out.put(GMF_USER_EMBEDDING, new long[] {numUsers, factor});
            out.put(GMF_ITEM_SIDE, new long[] {factor, numItems});
        }
        if (variant.hasMlp()) {
            out.put(MLP_USER_EMBEDDING, new long[] {numUsers, mlpEmbedding()});
            if (layers.length > 1) {
                out.put(MLP_0_USER_WEIGHT, new long[] {layers[1], mlpEmbedding()});
                out.put(MLP_0_ITEM_SIDE, new long[] {layers[1], numItems});
                for (int k = 1; k + 1 < layers.length; k++) {
                    out.put(TensorNames.mlpWeight(k), new long[] {layers[k + 1], layers[k]});
                    out.put(TensorNames.mlpBiasColumn(k), new long[] {layers[k + 1], 1});
                }
                out.put(MLP_OUTPUT_WEIGHT, new long[] {1, layers[layers.length - 1]});
            } else {
                out.put(MLP_USER_OUTPUT_WEIGHT, new long[] {mlpEmbedding(), 1});
                out.put(MLP_ITEM_SIDE, new long[] {1, numItems});
            }
        }
        out.put(OUTPUT_BIAS, new long[] {1});
        return Collections.unmodifiableMap(out);
    }

    /** Width of the vector the output layer reads. */
    public int predictiveFactors() {
        return (variant.hasGmf() ? factor : 0) + (variant.hasMlp() ? layers[layers.length - 1] : 0);
    }

    /** The MLP embedding size of users and items. */
    public int mlpEmbedding() {
        return layers[0] / 2;
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelShape m && m.variant == variant && m.numUsers == numUsers
                && m.numItems == numItems && m.factor == factor && Arrays.equals(m.layers, layers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(layers) * 31 + java.util.Objects.hash(variant, numUsers, numItems, factor);
    }

    @Override
    public String toString() {
        return variant.label() + (variant.hasGmf() ? " factor " + factor : "")
                + (variant.hasMlp() ? " layers " + Arrays.toString(layers) : "");
    }
}
