package org.ncf4j.server.kernel;

import java.util.Arrays;
import org.ncf4j.bundle.FloatTable;

/**
 * {@link FusedRanker}'s tile arithmetic in plain loops, which the JIT vectorises layer by layer in some starts and
 * not in others: a tile of items for one user, and a tile of (user, item) pairs, where the JVM lacks the vector API
 * ({@link VectorTiles}); and for pairs in any case the gathering of each pair's constants into the tile. A layer's
 * activations for the whole tile go through the cache, one layer after the other, two layers' worth at a time.
 */
final class ScalarTiles {
    private final int users;
    private final int items;
    private final int factor;
    private final int half;
    private final int tile;
    private final TiledConstants constants;
    private final FloatTable gmfUser;
    private final FloatTable mlpUser;
    private final float[] userWeight;
    private final boolean firstLayer;
    private final float[] itemTerm;
    private final int[] layers;
    private final float[][] weights;
    private final float[][] biases;
    private final float[] outputWeight;
    private final float outputBias;

    ScalarTiles(TiledConstants c) {
        users = c.users;
        items = c.items;
        factor = c.factor;
        half = c.half;
        tile = c.tile;
        constants = c;
        gmfUser = c.gmfUser;
        mlpUser = c.mlpUser;
        userWeight = c.userWeight;
        firstLayer = c.side != null;
        itemTerm = c.itemTerm;
        layers = c.layers;
        weights = c.weights;
        biases = c.biases;
        outputWeight = c.outputWeight;
        outputBias = c.outputBias;
    }

    /**
     * A run's buffers: a tile's activations, two layers at a time; for pairs, also the tile's user and item indices
     * and its users' MLP embeddings.
     */
    static final class Scratch {
        final float[][] a;
        final float[][] c;
        final int[] pairUsers;
        /** A tile's item indices: its pairs', or some items' ({@link FusedRanker#logits(int, int[])}). */
        final int[] pairItems;
        final float[][] userColumns;
        final float[] gmfRow;
        final float[] mlpRow;
        /** The GMF item side of a tile's pairs, or of some items ({@link FusedRanker#logits(int, int[])}). */
        final float[][] gmfColumns;
        /** A tile of each item side, when they are read per run ({@link TiledConstants#gmfTile}). */
        final float[][] gmfTile;
        final float[][] itemTile;

        Scratch(TiledConstants k) {
            gmfRow = new float[k.factor];
            mlpRow = new float[k.half];
            gmfColumns = k.factor > 0 ? new float[k.factor][k.tile] : null;
            gmfTile = k.gmfSide != null && k.gmfItemSide == null ? k.scratchTile(k.factor) : null;
            itemTile = k.side != null && k.itemSide == null ? k.scratchTile(k.layers[0]) : null;
            a = new float[k.widest][k.tile];
            c = new float[k.widest][k.tile];
            pairUsers = new int[k.tile];
            pairItems = new int[k.tile];
            userColumns = new float[k.half][k.tile];
        }
    }

    /**
     * Adds the GMF and MLP logits of a tile's first {@code n} items for a user (whose GMF embedding is {@code gu}
     * and first-layer part {@code pu}) to {@code lt}; {@code gSide} and {@code mSide} are the tile's item sides.
     */
    void tile(float[][] gSide, float[][] mSide, float[] gu, float[] pu, float[] lt, int n, Scratch s) {
        if (gSide != null) {
            float[][] side = gSide;
            for (int j = 0; j < factor; j++) {
                float p = gu[j];
                float[] q = side[j];
                for (int t = 0; t < n; t++) {
                    lt[t] += p * q[t];
                }
            }
        }
        if (mSide != null) {
            float[][] h = s.a;
            float[][] next = s.c;
            float[][] side = mSide;
            for (int o = 0; o < layers[0]; o++) {
                float add = pu[o];
                float[] x = side[o];
                float[] y = h[o];
                for (int t = 0; t < n; t++) {
                    y[t] = Math.max(x[t] + add, 0f); // branch-free, unlike a conditional
                }
            }
            tower(h, next, lt, n);
        }
    }

    /**
     * The {@code n} pairs from {@code from} of (pairUsers[i], pairItems[i]): their logits but for the hidden layers
     * into {@code lt} (the output bias, GMF and an MLP without hidden layers), and with hidden layers their
     * first layer's inputs, the users' MLP embeddings into {@link Scratch#userColumns} and the items' side into
     * {@link Scratch#a}, for {@link #pairLayers} or {@link VectorTiles#pairs}.
     *
     * @throws IllegalArgumentException for a user or item index outside the model
     */
    void gatherPairs(long[] pairUsers, long[] pairItems, int from, int n, float[] lt, Scratch s) {
        int[] u = s.pairUsers;
        int[] it = s.pairItems;
        for (int t = 0; t < n; t++) {
            u[t] = TiledConstants.index(pairUsers[from + t], users, "user index");
            it[t] = TiledConstants.index(pairItems[from + t], items, "item index");
        }
        Arrays.fill(lt, 0, n, outputBias);
        if (gmfUser != null) {
            float[] row = s.gmfRow;
            float[][] side = s.gmfColumns;
            constants.gmfColumns(it, n, side);
            for (int t = 0; t < n; t++) {
                TiledConstants.userRow(gmfUser, u[t], row);
                float sum = 0;
                for (int j = 0; j < factor; j++) {
                    sum += row[j] * side[j][t];
                }
                lt[t] += sum;
            }
        }
        if (mlpUser != null && layers.length == 0) {
            float[] row = s.mlpRow;
            for (int t = 0; t < n; t++) {
                TiledConstants.userRow(mlpUser, u[t], row);
                float sum = itemTerm[it[t]];
                for (int j = 0; j < half; j++) {
                    sum += row[j] * userWeight[j];
                }
                lt[t] += sum;
            }
        }
        if (firstLayer) {
            float[][] g = s.userColumns;
            float[] row = s.mlpRow;
            for (int t = 0; t < n; t++) {
                TiledConstants.userRow(mlpUser, u[t], row);
                for (int j = 0; j < half; j++) {
                    g[j][t] = row[j];
                }
            }
            constants.sideColumns(it, n, s.a);
        }
    }

    /** The hidden layers of {@code n} pairs gathered by {@link #gatherPairs}, added to {@code lt}. */
    void pairLayers(float[] lt, int n, Scratch s) {
        layer(userWeight, null, half, layers[0], s.userColumns, s.a, n); // relu(W1u p_u + the item's side)
        tower(s.a, s.c, lt, n);
    }

    /**
     * From the first hidden layer's activations {@code h} of {@code n} items (or pairs) on: the further layers
     * (using {@code next} and {@code h} in turn), then the output weights, added to {@code lt}.
     */
    private void tower(float[][] h, float[][] next, float[] lt, int n) {
        for (int k = 0; k < weights.length; k++) {
            layer(weights[k], biases[k], layers[k], layers[k + 1], h, next, n);
            float[][] swap = h;
            h = next;
            next = swap;
        }
        int last = layers[layers.length - 1];
        for (int o = 0; o < last; o++) {
            float w = outputWeight[o];
            float[] x = h[o];
            for (int t = 0; t < n; t++) {
                lt[t] += w * x[t];
            }
        }
    }

    /**
     * {@code out = relu(W in + b)} for {@code n} items of a tile, items along the inner axis: two outputs and four
     * inputs per pass, so that each input vector loaded serves two outputs (six loads and two stores for eight
     * multiply-adds), then a pass of the ReLU over the pair. With {@code b} null, {@code out = relu(W in + out)}.
     */
    private static void layer(float[] w, float[] b, int in, int outWidth, float[][] h, float[][] out, int n) {
        int o = 0;
        for (; o + 1 < outWidth; o += 2) {
            float[] y0 = out[o];
            float[] y1 = out[o + 1];
            if (b != null) {
                Arrays.fill(y0, 0, n, b[o]);
                Arrays.fill(y1, 0, n, b[o + 1]);
            }
            int r0 = o * in;
            int r1 = r0 + in;
            int j = 0;
            for (; j + 3 < in; j += 4) {
                float w00 = w[r0 + j];
                float w01 = w[r0 + j + 1];
                float w02 = w[r0 + j + 2];
                float w03 = w[r0 + j + 3];
                float w10 = w[r1 + j];
                float w11 = w[r1 + j + 1];
                float w12 = w[r1 + j + 2];
                float w13 = w[r1 + j + 3];
                float[] x0 = h[j];
                float[] x1 = h[j + 1];
                float[] x2 = h[j + 2];
                float[] x3 = h[j + 3];
                for (int t = 0; t < n; t++) {
                    float a = x0[t];
                    float c = x1[t];
                    float d = x2[t];
                    float e = x3[t];
                    y0[t] += w00 * a + w01 * c + w02 * d + w03 * e;
                    y1[t] += w10 * a + w11 * c + w12 * d + w13 * e;
                }
            }
            for (; j < in; j++) {
                float w0j = w[r0 + j];
                float w1j = w[r1 + j];
                float[] x = h[j];
                for (int t = 0; t < n; t++) {
                    y0[t] += w0j * x[t];
                    y1[t] += w1j * x[t];
                }
            }
            for (int t = 0; t < n; t++) {
                y0[t] = Math.max(y0[t], 0f);
                y1[t] = Math.max(y1[t], 0f);
            }
        }
        for (; o < outWidth; o++) {
            float[] y = out[o];
            if (b != null) {
                Arrays.fill(y, 0, n, b[o]);
            }
            int row = o * in;
            for (int j = 0; j < in; j++) {
                float wj = w[row + j];
                float[] x = h[j];
                for (int t = 0; t < n; t++) {
                    y[t] += wj * x[t];
                }
            }
            for (int t = 0; t < n; t++) {
                y[t] = Math.max(y[t], 0f);
            }
        }
    }
}
