package org.ncf4j.server.kernel;

import static org.ncf4j.contract.TensorNames.GMF_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.GMF_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_0_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.MLP_0_USER_WEIGHT;
import static org.ncf4j.contract.TensorNames.MLP_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.MLP_OUTPUT_WEIGHT;
import static org.ncf4j.contract.TensorNames.MLP_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_USER_OUTPUT_WEIGHT;
import static org.ncf4j.contract.TensorNames.OUTPUT_BIAS;

import java.util.Arrays;
import org.ncf4j.bundle.FloatTable;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;

/**
 * The ranking graph's constants laid out for the kernel's loops: the item-side constants ([rows, items]) as tiles of
 * items, each row of a tile its own array, so that loops over a tile index every array from 0, which is what lets
 * the JIT compile them to vector instructions; the rest as the graph holds them. The user tables are read where
 * the bundle keeps them (mapped, {@link FloatTable}), a user's row at a time. Item sides up to
 * {@link #HEAP_TILES_BYTES} are copied into tiles once; larger ones stay where they are and a tile is copied into a
 * run's scratch when the run reaches it ({@link #gmfTile}, {@link #itemTile}), so that the heap never holds a
 * second copy of a large catalogue. Constants a variant does not have are null (GMF's without GMF, the MLP's
 * without an MLP); {@link #layers} is empty without hidden layers.
 */
final class TiledConstants {
    /**
     * Floats of one tile's widest activation (128 KiB, so that a tile's two layers stay in the second-level cache).
     * Each of a tile's loops also pays a fixed cost (the JIT's scalar iterations before and after its vector loop),
     * which longer rows of items amortise: on MovieLens 1M's NeuMF, 64-32-16-8, tiles of 1,024 items ranked a user
     * in 0.22 ms against 0.24 with 512 and 0.27 with 256 ({@code server/bench/kernel.sh}).
     */
    private static final int TILE_FLOATS = 32768;
    /**
     * Tiles hold a multiple of this many items, zero-padded, so that the vector kernel's vectors are whole (the
     * most float lanes of any vector size).
     */
    static final int VECTOR_PAD = 16;
    /** Item sides up to this size (both together) are copied into tiles in the heap at load. */
    static final long HEAP_TILES_BYTES = 64L << 20;

    final int users;
    final int items;
    final int factor; // 0 without GMF
    final int half; // the MLP embedding's width; 0 without an MLP
    final FloatTable gmfUser; // [users, factor]
    final FloatTable gmfSide; // [factor, items]
    final float[][][] gmfItemSide; // [tile][factor][items of the tile], or null: read from gmfSide per run
    final FloatTable mlpUser; // [users, half]
    final float[] userWeight; // [width, half], or [half] without hidden layers
    final FloatTable side; // [width, items]: the first MLP layer's item side
    final float[][][] itemSide; // [tile][width][items of the tile], or null: read from side per run
    final float[] itemTerm; // [items]: the MLP's item term without hidden layers
    final int[] layers; // widths from the first hidden layer's to the last
    final float[][] weights; // layer k: [layers[k+1], layers[k]]
    final float[][] biases;
    final float[] outputWeight; // [last width]
    final float outputBias;
    final int widest; // the widest hidden layer: a tile's activations are widest x tile floats
    final int tile; // items per tile, a multiple of VECTOR_PAD

    /** @param heapTilesBytes item sides up to this size are copied into tiles ({@link #HEAP_TILES_BYTES}) */
    TiledConstants(ModelShape shape, GraphConstants c, long heapTilesBytes) {
        users = shape.numUsers();
        items = shape.numItems();
        boolean gmf = shape.variant().hasGmf();
        boolean mlp = shape.variant().hasMlp();
        int[] sizes = shape.layers();
        boolean hidden = mlp && sizes.length > 1;
        layers = hidden ? Arrays.copyOfRange(sizes, 1, sizes.length) : new int[0];
        widest = Math.max(1, Arrays.stream(layers).max().orElse(1));
        tile = Math.max(64, Math.min(1024, TILE_FLOATS / widest)) & ~(VECTOR_PAD - 1);
        factor = gmf ? shape.factor() : 0;
        gmfUser = gmf ? c.get(GMF_USER_EMBEDDING) : null;
        gmfSide = gmf ? c.get(GMF_ITEM_SIDE) : null;
        half = mlp ? shape.mlpEmbedding() : 0;
        mlpUser = mlp ? c.get(MLP_USER_EMBEDDING) : null;
        userWeight = hidden ? c.array(MLP_0_USER_WEIGHT) : mlp ? c.array(MLP_USER_OUTPUT_WEIGHT) : null;
        side = hidden ? c.get(MLP_0_ITEM_SIDE) : null;
        boolean heap = 4L * items * (factor + (hidden ? layers[0] : 0)) <= heapTilesBytes;
        gmfItemSide = gmf && heap ? tiles(gmfSide, factor) : null;
        itemSide = hidden && heap ? tiles(side, layers[0]) : null;
        itemTerm = mlp && !hidden ? c.array(MLP_ITEM_SIDE) : null;
        int deeper = Math.max(0, layers.length - 1);
        weights = new float[deeper][];
        biases = new float[deeper][];
        for (int k = 0; k < deeper; k++) {
            weights[k] = c.array(TensorNames.mlpWeight(k + 1));
            biases[k] = c.array(TensorNames.mlpBiasColumn(k + 1));
        }
        outputWeight = hidden ? c.array(MLP_OUTPUT_WEIGHT) : null;
        outputBias = c.array(OUTPUT_BIAS)[0];
    }

    /** Tile {@code ti} of GMF's item side: the copy made at load, or {@code scratch} filled from the table. */
    float[][] gmfTile(int ti, float[][] scratch) {
        return gmfItemSide != null ? gmfItemSide[ti] : fill(gmfSide, factor, ti, scratch);
    }

    /** Tile {@code ti} of the first MLP layer's item side, as {@link #gmfTile}. */
    float[][] itemTile(int ti, float[][] scratch) {
        return itemSide != null ? itemSide[ti] : fill(side, layers[0], ti, scratch);
    }

    /** GMF's item side of items {@code items[0 .. n)}: {@code out[j][t]} for item {@code items[t]}. */
    void gmfColumns(int[] items, int n, float[][] out) {
        columns(gmfItemSide, gmfSide, factor, items, n, out);
    }

    /** The first MLP layer's item side of items {@code items[0 .. n)}: {@code out[o][t]} for item {@code items[t]}. */
    void sideColumns(int[] items, int n, float[][] out) {
        columns(itemSide, side, layers[0], items, n, out);
    }

    /**
     * Rows {@code [0, rows)} of a [rows, items] constant for some items: from the copy in tiles, item by item (one
     * division per item, not one per value: a division costs more than the value's loads), or from the table.
     */
    private void columns(float[][][] tiles, FloatTable table, int rows, int[] items, int n, float[][] out) {
        if (tiles != null) {
            for (int t = 0; t < n; t++) {
                int item = items[t];
                int ti = item / tile;
                float[][] of = tiles[ti];
                int at = item - ti * tile;
                for (int r = 0; r < rows; r++) {
                    out[r][t] = of[r][at];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                float[] y = out[r];
                long row = (long) r * this.items;
                for (int t = 0; t < n; t++) {
                    y[t] = table.get(row + items[t]);
                }
            }
        }
    }

    /** {@code value} as an index into {@code size} entries, or IllegalArgumentException naming {@code what}. */
    static int index(long value, int size, String what) {
        if (value < 0 || value >= size) {
            throw new IllegalArgumentException(what + " " + value + " is not in 0.." + (size - 1));
        }
        return (int) value;
    }

    /** A user's row of a user table into {@code row}. */
    static void userRow(FloatTable table, int user, float[] row) {
        table.get((long) user * row.length, row, 0, row.length);
    }

    /** Rows {@code rows} x {@code tile} of scratch for a tile of a [rows, items] constant. */
    float[][] scratchTile(int rows) {
        return new float[rows][(tile + VECTOR_PAD - 1) / VECTOR_PAD * VECTOR_PAD];
    }

    /** Tile {@code ti} of a [rows, items] table into {@code out}, zeros past the catalogue's end. */
    private float[][] fill(FloatTable table, int rows, int ti, float[][] out) {
        int from = ti * tile;
        int n = Math.min(tile, items - from);
        for (int r = 0; r < rows; r++) {
            table.get((long) r * items + from, out[r], 0, n);
            java.util.Arrays.fill(out[r], n, out[r].length, 0f);
        }
        return out;
    }

    /** Tiles in the catalogue (the last may be partial). */
    int tiles() {
        return (items + tile - 1) / tile;
    }

    /** A [rows, items] constant in row-major order, cut into tiles, each tile's rows zero-padded to VECTOR_PAD. */
    private float[][][] tiles(FloatTable rowMajor, int rows) {
        float[][][] out = new float[tiles()][rows][];
        for (int t = 0; t < out.length; t++) {
            int from = t * tile;
            int n = Math.min(tile, items - from);
            for (int r = 0; r < rows; r++) {
                out[t][r] = new float[(n + VECTOR_PAD - 1) / VECTOR_PAD * VECTOR_PAD]; // zeros past the end
                rowMajor.get((long) r * items + from, out[t][r], 0, n);
            }
        }
        return out;
    }
}
