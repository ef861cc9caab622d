package org.ncf4j.contract;

import java.util.Locale;

/** The three models of He et al., Neural Collaborative Filtering (WWW 2017). */
public enum Variant {
    /** Generalized Matrix Factorization: a weighted inner product of user and item embeddings. */
    GMF,
    /** A multi-layer perceptron over the concatenated user and item embeddings. */
    MLP,
    /** GMF and MLP side by side, their last layers concatenated into one output. */
    NEUMF;

    public boolean hasGmf() {
        return this != MLP;
    }

    public boolean hasMlp() {
        return this != GMF;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "gmf", "mlp" or "neumf" in any case. */
    public static Variant parse(String s) {
        for (Variant v : values()) {
            if (v.name().equalsIgnoreCase(s.strip())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown model variant '" + s + "', expected gmf, mlp or neumf");
    }
}
