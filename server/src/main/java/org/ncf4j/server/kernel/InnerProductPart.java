package org.ncf4j.server.kernel;

import static org.ncf4j.contract.TensorNames.GMF_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.GMF_USER_EMBEDDING;

import java.util.Map;
import java.util.Optional;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.FloatTable;
import org.ncf4j.contract.ModelShape;

/**
 * The GMF part of a ranking graph as an inner product: a user's GMF logit for item i is {@code p_u . (h_G * q_i)},
 * so the user's row {@code p_u} is a query and each item's column of GMF's item side a vector, and the items with
 * the largest GMF logits are a maximum-inner-product search. Read from the same constants as the fused kernel
 * ({@link GraphConstants}), where the bundle keeps them.
 */
public final class InnerProductPart {
    /** Items read at a time from a row of the item side. */
    private static final int CHUNK = 1 << 14;

    private final FloatTable users; // [users, factor]
    private final FloatTable side; // [factor, items]
    private final int numUsers;
    private final int numItems;
    private final int factor;

    private InnerProductPart(FloatTable users, FloatTable side, int numUsers, int numItems, int factor) {
        this.users = users;
        this.side = side;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.factor = factor;
    }

    /**
     * The GMF part of a bundle's ranking graph, or empty with the reason: the model has none (MLP), or the graph is
     * not one whose constants this server reads.
     */
    public static Optional<InnerProductPart> of(byte[] rankGraph, Map<String, FloatTable> tables, BundleCard card,
                                                StringBuilder whyNot) {
        ModelShape shape = card.shape();
        if (!shape.variant().hasGmf()) {
            whyNot.append(shape.variant().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" has no inner-product part (no GMF)");
            return Optional.empty();
        }
        try {
            GraphConstants c = GraphConstants.read(rankGraph, tables, shape);
            return Optional.of(new InnerProductPart(c.get(GMF_USER_EMBEDDING), c.get(GMF_ITEM_SIDE),
                    shape.numUsers(), shape.numItems(), shape.factor()));
        } catch (IllegalArgumentException e) {
            whyNot.append(e.getMessage());
            return Optional.empty();
        }
    }

    /** The dimension of queries and item vectors: GMF's factor. */
    public int factor() {
        return factor;
    }

    public int users() {
        return numUsers;
    }

    public int items() {
        return numItems;
    }

    /** User {@code user}'s query, {@code p_u}, into the first {@link #factor} floats of {@code out}. */
    public void user(int user, float[] out) {
        users.get((long) TiledConstants.index(user, numUsers, "user index") * factor, out, 0, factor);
    }

    /** Item {@code item}'s vector, {@code h_G * q_i}, into the first {@link #factor} floats of {@code out}. */
    public void item(int item, float[] out) {
        for (int j = 0; j < factor; j++) {
            out[j] = side.get((long) j * numItems + item);
        }
    }

    /** Every item's vector, {@code h_G * q_i}, each with {@code extra} more floats (zeros) after the factor's. */
    public float[][] items(int extra) {
        float[][] out = new float[numItems][factor + extra];
        float[] row = new float[Math.min(numItems, CHUNK)];
        for (int j = 0; j < factor; j++) {
            for (int from = 0; from < numItems; from += CHUNK) {
                int n = Math.min(CHUNK, numItems - from);
                side.get((long) j * numItems + from, row, 0, n);
                for (int i = 0; i < n; i++) {
                    out[from + i][j] = row[i];
                }
            }
        }
        return out;
    }

    /** The user's GMF logits, {@code p_u . (h_G * q_i)}, for every item. */
    public float[] logits(int user) {
        float[] p = new float[factor];
        user(user, p);
        float[] out = new float[numItems];
        float[] row = new float[Math.min(numItems, CHUNK)];
        for (int j = 0; j < factor; j++) {
            for (int from = 0; from < numItems; from += CHUNK) {
                int n = Math.min(CHUNK, numItems - from);
                side.get((long) j * numItems + from, row, 0, n);
                float pj = p[j];
                for (int i = 0; i < n; i++) {
                    out[from + i] += pj * row[i];
                }
            }
        }
        return out;
    }
}
