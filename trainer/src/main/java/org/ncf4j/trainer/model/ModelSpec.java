package org.ncf4j.trainer.model;

import java.util.Arrays;

/**
 * The shape of an NCF model: variant, catalogue sizes, GMF factor and MLP layer sizes.
 *
 * @param variant GMF, MLP or NeuMF
 * @param numUsers rows of the user embeddings
 * @param numItems rows of the item embeddings
 * @param factor GMF embedding size (ignored by MLP)
 * @param layers MLP layer sizes, first to last (e.g. 64, 32, 16, 8); the user and item MLP embeddings are
 *     {@code layers[0] / 2} wide each (ignored by GMF)
 */
public record ModelSpec(Variant variant, int numUsers, int numItems, int factor, int[] layers) {

    public ModelSpec {
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
        return o instanceof ModelSpec m && m.variant == variant && m.numUsers == numUsers
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
