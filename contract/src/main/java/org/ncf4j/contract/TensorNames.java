package org.ncf4j.contract;

/**
 * The names of the model's tensors, defined once: the parameters (the training block's, the scoring graph's
 * initializers, the bundle checks'), and the constants the ranking graph derives from them at export (read back by
 * the server's fused kernel). Their shapes are {@link ModelShape#parameters} and {@link ModelShape#rankingConstants}.
 */
public final class TensorNames {
    /** GMF's user embedding table, [users, factor]. */
    public static final String GMF_USER_EMBEDDING = "gmf_user_embedding";
    /** GMF's item embedding table, [items, factor]. */
    public static final String GMF_ITEM_EMBEDDING = "gmf_item_embedding";
    /** The MLP's user embedding table, [users, layers[0] / 2]. */
    public static final String MLP_USER_EMBEDDING = "mlp_user_embedding";
    /** The MLP's item embedding table, [items, layers[0] / 2]. */
    public static final String MLP_ITEM_EMBEDDING = "mlp_item_embedding";
    /** The output layer's weights, [1, predictive factors]: GMF's part first, then the MLP's. */
    public static final String OUTPUT_WEIGHT = "output_weight";
    /** The output layer's bias, [1]. */
    public static final String OUTPUT_BIAS = "output_bias";

    /** GMF's item side, {@code h_G * q_i}, [factor, items]: a user's GMF logits are {@code p_u} times it. */
    public static final String GMF_ITEM_SIDE = "gmf_item_side";
    /** The user columns of the first MLP layer's weights, [layers[1], layers[0] / 2]. */
    public static final String MLP_0_USER_WEIGHT = "mlp_0_user_weight";
    /** The first MLP layer's item part with its bias, {@code W1i q_i + b1}, [layers[1], items]. */
    public static final String MLP_0_ITEM_SIDE = "mlp_0_item_side";
    /** The MLP's part of the output weights, [1, last layer], when the MLP has hidden layers. */
    public static final String MLP_OUTPUT_WEIGHT = "mlp_output_weight";
    /** Without hidden layers: the output weights of the MLP's user embedding, [layers[0] / 2, 1]. */
    public static final String MLP_USER_OUTPUT_WEIGHT = "mlp_user_output_weight";
    /** Without hidden layers: each item's term of the logit, [1, items]. */
    public static final String MLP_ITEM_SIDE = "mlp_item_side";

    private static final String GMF_PREFIX = "gmf_";
    private static final String MLP_PREFIX = "mlp_";
    private static final String OUTPUT_PREFIX = "output_";
    private static final String EMBEDDING_SUFFIX = "_embedding";
    private static final String PIECE = ".piece";

    private TensorNames() {
    }

    /** Layer {@code k}'s weights, [layers[k + 1], layers[k]] (stored [out, in]). */
    public static String mlpWeight(int k) {
        return MLP_PREFIX + k + "_weight";
    }

    /** Layer {@code k}'s bias, [layers[k + 1]]. */
    public static String mlpBias(int k) {
        return MLP_PREFIX + k + "_bias";
    }

    /** Layer {@code k}'s bias as a column, [layers[k + 1], 1], for layers applied to items on the last axis. */
    public static String mlpBiasColumn(int k) {
        return mlpBias(k) + "_column";
    }

    /** Whether a parameter is an embedding table (one row per user or item). */
    public static boolean isEmbedding(String name) {
        return name.endsWith(EMBEDDING_SUFFIX);
    }

    /**
     * Whether a tensor is one of the model's tables, with a row or a column per user or item: the embeddings and
     * the ranking graph's item sides. Their size grows with the catalogue; a bundle stores them once, outside the
     * graphs.
     */
    public static boolean isTable(String name) {
        return isEmbedding(name) || name.equals(GMF_ITEM_SIDE) || name.equals(MLP_0_ITEM_SIDE)
                || name.equals(MLP_ITEM_SIDE);
    }

    /**
     * The name of piece {@code p} of a table that a graph declares in pieces, {@code <table>.piece<p>}: consecutive
     * ranges of the table's rows, each an initializer of its own over its part of the one stored table, for tables
     * too large for one buffer. No other tensor's name holds a dot, so a piece's name is never another tensor's.
     */
    public static String piece(String table, int p) {
        if (p < 0) {
            throw new IllegalArgumentException("piece " + p + " of " + table);
        }
        return table + PIECE + p;
    }

    /** The table that {@code name} is a piece of ({@link #piece}), or null when it names no piece. */
    public static String pieceTable(String name) {
        int at = name.lastIndexOf(PIECE);
        return at > 0 && pieceIndex(name) >= 0 ? name.substring(0, at) : null;
    }

    /** The number of the piece {@code name} names ({@link #piece}), or -1 when it names no piece. */
    public static int pieceIndex(String name) {
        int at = name.lastIndexOf(PIECE);
        if (at <= 0) {
            return -1;
        }
        String digits = name.substring(at + PIECE.length());
        try {
            int p = Integer.parseInt(digits);
            // only the form piece() writes: no sign, no leading zeros
            return p >= 0 && Integer.toString(p).equals(digits) ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether a parameter belongs to GMF (its embeddings). */
    public static boolean isGmf(String name) {
        return name.startsWith(GMF_PREFIX);
    }

    /** Whether a parameter belongs to the MLP (its embeddings and layers). */
    public static boolean isMlp(String name) {
        return name.startsWith(MLP_PREFIX);
    }

    /** Whether a parameter belongs to the output layer. */
    public static boolean isOutput(String name) {
        return name.startsWith(OUTPUT_PREFIX);
    }
}
