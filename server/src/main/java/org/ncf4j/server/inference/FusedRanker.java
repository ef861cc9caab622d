package org.ncf4j.server.inference;

import static org.ncf4j.contract.TensorNames.GMF_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.GMF_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_0_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.MLP_0_USER_WEIGHT;
import static org.ncf4j.contract.TensorNames.MLP_ITEM_SIDE;
import static org.ncf4j.contract.TensorNames.MLP_OUTPUT_WEIGHT;
import static org.ncf4j.contract.TensorNames.MLP_USER_EMBEDDING;
import static org.ncf4j.contract.TensorNames.MLP_USER_OUTPUT_WEIGHT;
import static org.ncf4j.contract.TensorNames.OUTPUT_BIAS;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/**
 * The ranking graph's function computed in Java, for the CPU: the same constants (read from the graph's
 * initializers), the layers fused per tile of items so that a tile's hidden activations stay in the processor's
 * second-level cache, where ONNX Runtime writes and reads each layer's output for the whole catalogue in turn.
 * Results agree with the graph's up to float rounding; {@link ModelLoader} checks that on a probe before serving
 * with it. Thread-safe: a run's buffers are its own.
 *
 * <p>Per user: GMF's logits {@code p_u . (h_G * q_i)}; the MLP's first layer {@code relu(W1u p_u + itemSide_i)};
 * the further layers; the output weights; then exclusions and the k best by logit, ties by the lower item index,
 * as ONNX TopK orders them. Pairs ({@link #score}) go through the same layers, a tile of pairs at a time, with
 * each pair's constants gathered into the tile first.
 *
 * <p>Where the JVM has the JDK's vector API ({@link #VECTOR_API}), a ranking's tiles are computed by
 * {@link VectorTiles}, a vector of items at a time through every layer; otherwise, and for pairs, by the scalar
 * loops here, which the JIT vectorises layer by layer.
 */
public final class FusedRanker implements Ranker, PairScorer {
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
    /**
     * Whether tiles are computed with the JDK's vector API ({@link VectorTiles}): when the JVM runs with
     * {@code --add-modules jdk.incubator.vector}, as the server's launchers start it where the JDK has that
     * module, and the processor's vectors hold at least 256 bits (with fewer lanes the API gains little over the
     * scalar loops, which the JIT vectorises too). Otherwise the scalar loops serve: the same results up to float
     * rounding, slower.
     */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && VectorTiles.bits() >= 256;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FusedRanker.class);
    private static final Object WARM_UP = new Object();
    private static boolean warm;

    private final int items;
    private final int factor;
    private final float[] gmfUser; // [users, factor]
    private final float[][][] gmfItemSide; // [tile][factor][items of the tile]
    private final int half;
    private final float[] mlpUser; // [users, half]
    private final float[] userWeight; // [width, half], or [half] without hidden layers
    private final float[][][] itemSide; // [tile][width][items of the tile]
    private final float[] itemTerm; // [items]: the MLP's item term without hidden layers
    private final int[] layers; // widths from the first hidden layer's to the last
    private final float[][] weights; // layer k: [layers[k+1], layers[k]]
    private final float[][] biases;
    private final float[] outputWeight; // [last width]
    private final float outputBias;
    private final int users;
    private final int widest; // the widest hidden layer: a tile's activations are widest x tile floats
    private final int tile;
    /** Each thread's buffers (a run allocates only its results). */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    /** The vector API's tiles, or null: the scalar loops below. */
    private final VectorTiles vector;

    private FusedRanker(BundleCard card, Map<String, float[]> c, boolean vectorApi) {
        items = card.numItems();
        users = card.numUsers();
        boolean gmf = !card.variant().equals("mlp");
        boolean mlp = !card.variant().equals("gmf");
        List<Integer> sizes = card.layers();
        boolean hidden = mlp && sizes.size() > 1;
        layers = hidden ? sizes.subList(1, sizes.size()).stream().mapToInt(Integer::intValue).toArray() : new int[0];
        widest = Math.max(1, java.util.Arrays.stream(layers).max().orElse(1));
        tile = Math.max(64, Math.min(1024, TILE_FLOATS / widest)) & ~(VECTOR_PAD - 1);
        factor = gmf ? card.factor() : 0;
        gmfUser = gmf ? need(c, GMF_USER_EMBEDDING) : null;
        gmfItemSide = gmf ? tiles(c, GMF_ITEM_SIDE, factor) : null;
        half = mlp ? sizes.get(0) / 2 : 0;
        mlpUser = mlp ? need(c, MLP_USER_EMBEDDING) : null;
        userWeight = hidden ? need(c, MLP_0_USER_WEIGHT) : mlp ? need(c, MLP_USER_OUTPUT_WEIGHT) : null;
        itemSide = hidden ? tiles(c, MLP_0_ITEM_SIDE, layers[0]) : null;
        itemTerm = mlp && !hidden ? need(c, MLP_ITEM_SIDE) : null;
        int deeper = Math.max(0, layers.length - 1);
        weights = new float[deeper][];
        biases = new float[deeper][];
        for (int k = 0; k < deeper; k++) {
            weights[k] = need(c, TensorNames.mlpWeight(k + 1));
            biases[k] = need(c, TensorNames.mlpBiasColumn(k + 1));
        }
        outputWeight = hidden ? need(c, MLP_OUTPUT_WEIGHT) : null;
        outputBias = need(c, OUTPUT_BIAS)[0];
        vector = vectorApi ? new VectorTiles(factor, gmfUser, gmfItemSide, itemSide, layers, weights, biases,
                outputWeight) : null;
    }

    /**
     * A [rows, items] constant cut into tiles of items, each row of a tile its own array: loops over a tile then
     * index every array from 0, which is what lets the JIT compile them to vector instructions.
     */
    private float[][][] tiles(Map<String, float[]> c, String name, int rows) {
        float[] rowMajor = need(c, name);
        size(name, rowMajor, (long) rows * items);
        float[][][] out = new float[(items + tile - 1) / tile][rows][];
        for (int t = 0; t < out.length; t++) {
            int from = t * tile;
            int n = Math.min(tile, items - from);
            for (int r = 0; r < rows; r++) {
                out[t][r] = new float[(n + VECTOR_PAD - 1) / VECTOR_PAD * VECTOR_PAD]; // zeros past the end
                System.arraycopy(rowMajor, r * items + from, out[t][r], 0, n);
            }
        }
        return out;
    }

    /**
     * Runs this kernel until its time per run stops improving (the JIT has compiled it), at most {@code maxNanos},
     * once per JVM: the code is shared by every model, so later loads time compiled code. A first ranking on a
     * loaded core can take ten times a compiled one, which would make the choice at load a measurement of the
     * compiler.
     */
    public void warmUpOnce(long maxNanos) {
        synchronized (WARM_UP) {
            if (warm) {
                return;
            }
            warm = true;
            long start = System.nanoTime();
            double best = Double.MAX_VALUE;
            int flat = 0;
            int runs = 0;
            int k = Math.min(10, items);
            // batches of 50 ms, at least 300 ms in all: on a busy machine the compiler threads get little time,
            // and a shorter plateau can be the interpreter's
            while (System.nanoTime() - start < maxNanos && (flat < 4 || System.nanoTime() - start < 300_000_000L)) {
                long t0 = System.nanoTime();
                int n = 0;
                do {
                    rank(new long[] {runs++ % users}, new long[0], k);
                    n++;
                } while (System.nanoTime() - t0 < 50_000_000L);
                double perRun = (System.nanoTime() - t0) / (double) n;
                flat = perRun < best * 0.95 ? 0 : flat + 1;
                best = Math.min(best, perRun);
            }
            LOG.debug("fused ranking kernel warmed up in {} ms: {} runs, {} ms per run", (System.nanoTime() - start)
                    / 1_000_000, runs, String.format("%.3f", best / 1e6));
        }
    }

    /**
     * The ranker for a bundle's ranking graph, or empty with the reason when the graph is not one this class
     * computes (another producer, another layout, constants missing or of other sizes).
     */
    public static Optional<FusedRanker> of(byte[] rankGraph, BundleCard card, StringBuilder whyNot) {
        return of(rankGraph, card, whyNot, VECTOR_API);
    }

    /**
     * As {@link #of(byte[], BundleCard, StringBuilder)}, with the vector API's tiles where this JVM can have them,
     * or without (tests of both).
     */
    static Optional<FusedRanker> of(byte[] rankGraph, BundleCard card, StringBuilder whyNot, boolean vectorApi) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(rankGraph);
        } catch (InvalidProtocolBufferException e) {
            whyNot.append("the ranking graph does not parse: ").append(e.getMessage());
            return Optional.empty();
        }
        if (!model.getProducerName().equals("ncf4j")) {
            whyNot.append("the ranking graph was made by '").append(model.getProducerName())
                    .append("', not by ncf4j's exporter");
            return Optional.empty();
        }
        Map<String, float[]> constants = new HashMap<>();
        Map<String, Integer> rows = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber() || t.getRawData().isEmpty()) {
                continue;
            }
            FloatBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            constants.put(t.getName(), v);
            rows.put(t.getName(), t.getDimsCount() > 0 ? (int) t.getDims(0) : 1);
        }
        try {
            FusedRanker r = new FusedRanker(card, constants, vectorApi && VECTOR_API);
            r.checkSizes(rows);
            return Optional.of(r);
        } catch (IllegalArgumentException e) {
            whyNot.append(e.getMessage());
            return Optional.empty();
        }
    }

    private void checkSizes(Map<String, Integer> rows) {
        if (gmfUser != null) {
            size(GMF_USER_EMBEDDING, gmfUser, (long) users * factor);
        }
        if (mlpUser != null) {
            size(MLP_USER_EMBEDDING, mlpUser, (long) users * half);
            if (layers.length > 0) {
                int width = layers[0];
                size(MLP_0_USER_WEIGHT, userWeight, (long) width * half);
                if (rows.get(MLP_0_ITEM_SIDE) != width) {
                    throw new IllegalArgumentException(MLP_0_ITEM_SIDE + " is [items, width], an older layout");
                }
                for (int k = 0; k < weights.length; k++) {
                    size(TensorNames.mlpWeight(k + 1), weights[k], (long) layers[k + 1] * layers[k]);
                    size(TensorNames.mlpBiasColumn(k + 1), biases[k], layers[k + 1]);
                }
                size(MLP_OUTPUT_WEIGHT, outputWeight, layers[layers.length - 1]);
            } else {
                size(MLP_USER_OUTPUT_WEIGHT, userWeight, half);
                size(MLP_ITEM_SIDE, itemTerm, items);
            }
        }
    }

    private static void size(String name, float[] v, long expected) {
        if (v.length != expected) {
            throw new IllegalArgumentException("the ranking graph's " + name + " has " + v.length
                    + " values, expected " + expected);
        }
    }

    private static float[] need(Map<String, float[]> c, String name) {
        float[] v = c.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the ranking graph has no float constant '" + name + "'");
        }
        return v;
    }

    @Override
    public OnnxModel.Ranked rank(long[] users, long[] exclude, int k) {
        int b = users.length;
        long[][] outItems = new long[b][];
        float[][] outScores = new float[b][];
        float[][] logits = new float[b][items];
        long[] pairs = byRow(exclude);
        logits(users, logits, scratch.get());
        int e = 0;
        for (int row = 0; row < b; row++) {
            float[] l = logits[row];
            for (; e < pairs.length && pairs[e] == row; e += 2) {
                l[(int) pairs[e + 1]] = Float.NEGATIVE_INFINITY;
            }
            int[] top = TopK.best(l, k);
            long[] it = new long[k];
            float[] sc = new float[k];
            for (int j = 0; j < k; j++) {
                it[j] = top[j];
                sc[j] = sigmoid(l[top[j]]);
            }
            outItems[row] = it;
            outScores[row] = sc;
        }
        return new OnnxModel.Ranked(outItems, outScores);
    }

    /** The (row, item) pairs checked and ordered by row (they usually come so already). */
    private long[] byRow(long[] exclude) {
        boolean ordered = true;
        for (int e = 0; e + 1 < exclude.length; e += 2) {
            index(exclude[e + 1], items, "excluded item");
            ordered &= e == 0 || exclude[e - 2] <= exclude[e];
        }
        if (ordered) {
            return exclude;
        }
        long[][] rows = new long[exclude.length / 2][];
        for (int e = 0; e < rows.length; e++) {
            rows[e] = new long[] {exclude[2 * e], exclude[2 * e + 1]};
        }
        java.util.Arrays.sort(rows, (x, y) -> Long.compare(x[0], y[0]));
        long[] out = new long[exclude.length];
        for (int e = 0; e < rows.length; e++) {
            out[2 * e] = rows[e][0];
            out[2 * e + 1] = rows[e][1];
        }
        return out;
    }

    /**
     * One run's buffers: a tile's activations, two layers at a time, and its logits; for pairs, also the tile's
     * user and item indices and its users' MLP embeddings.
     */
    private final class Scratch {
        final float[][] a;
        final float[][] c;
        final float[] logits = new float[tile];
        final int[] pairUsers = new int[tile];
        final int[] pairItems = new int[tile];
        final float[][] userColumns;
        final VectorTiles.Scratch chunk;

        Scratch() {
            a = new float[widest][tile];
            c = new float[widest][tile];
            userColumns = new float[half][tile];
            chunk = vector == null ? null : new VectorTiles.Scratch(widest);
        }
    }

    /**
     * Every item's logit for each user, into {@code out} (one row per user). Tile by tile, every user of the batch
     * in turn, so that a tile's item constants are read from memory once per batch.
     */
    private void logits(long[] users, float[][] out, Scratch s) {
        float[][] pu = new float[users.length][];
        for (int row = 0; row < users.length; row++) {
            pu[row] = start(Math.toIntExact(users[row]), out[row]);
        }
        int tiles = (items + tile - 1) / tile;
        for (int ti = 0; ti < tiles; ti++) {
            for (int row = 0; row < users.length; row++) {
                tile(ti, Math.toIntExact(users[row]), pu[row], out[row], s);
            }
        }
    }

    /**
     * A user's logits before the tiles: the output bias, or with an MLP without hidden layers its whole logits;
     * returns the user's part of the first MLP layer (null without hidden layers).
     */
    private float[] start(int u, float[] out) {
        if (mlpUser != null && layers.length == 0) {
            float term = outputBias;
            for (int j = 0; j < half; j++) {
                term += mlpUser[u * half + j] * userWeight[j];
            }
            for (int i = 0; i < items; i++) {
                out[i] = term + itemTerm[i];
            }
        } else {
            java.util.Arrays.fill(out, outputBias);
        }
        if (itemSide == null) {
            return null;
        }
        int width = layers[0];
        float[] pu = new float[width];
        for (int o = 0; o < width; o++) {
            float t = 0;
            for (int j = 0; j < half; j++) {
                t += mlpUser[u * half + j] * userWeight[o * half + j];
            }
            pu[o] = t;
        }
        return pu;
    }

    /** Adds one tile's GMF and MLP logits for user {@code u} (whose first-layer part is {@code pu}) to {@code out}. */
    private void tile(int ti, int u, float[] pu, float[] out, Scratch s) {
        float[] lt = s.logits;
        int i0 = ti * tile;
        int n = Math.min(tile, items - i0);
        System.arraycopy(out, i0, lt, 0, n);
        if (vector != null) {
            vector.tile(ti, u, pu, lt, n, s.chunk);
            System.arraycopy(lt, 0, out, i0, n);
            return;
        }
        if (gmfItemSide != null) {
            float[][] side = gmfItemSide[ti];
            for (int j = 0; j < factor; j++) {
                float p = gmfUser[u * factor + j];
                float[] q = side[j];
                for (int t = 0; t < n; t++) {
                    lt[t] += p * q[t];
                }
            }
        }
        if (itemSide != null) {
            float[][] h = s.a;
            float[][] next = s.c;
            float[][] side = itemSide[ti];
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
        System.arraycopy(lt, 0, out, i0, n);
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
     * Probabilities and logits of the pairs (users[i], items[i]), as the scoring graph computes them (up to
     * float rounding), a tile of pairs at a time.
     */
    @Override
    public OnnxModel.Scored score(long[] pairUsers, long[] pairItems) {
        if (pairUsers.length != pairItems.length) {
            throw new IllegalArgumentException(pairUsers.length + " users for " + pairItems.length + " items");
        }
        int n = pairUsers.length;
        float[] logits = new float[n];
        Scratch s = scratch.get();
        for (int from = 0; from < n; from += tile) {
            pairs(pairUsers, pairItems, from, Math.min(tile, n - from), logits, s);
        }
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = sigmoid(logits[i]);
        }
        return new OnnxModel.Scored(scores, logits);
    }

    /** The logits of the {@code n} pairs from {@code from} into {@code out}. */
    private void pairs(long[] pairUsers, long[] pairItems, int from, int n, float[] out, Scratch s) {
        int[] u = s.pairUsers;
        int[] it = s.pairItems;
        for (int t = 0; t < n; t++) {
            u[t] = index(pairUsers[from + t], users, "user index");
            it[t] = index(pairItems[from + t], items, "item index");
        }
        float[] lt = s.logits;
        java.util.Arrays.fill(lt, 0, n, outputBias);
        if (gmfItemSide != null) {
            for (int t = 0; t < n; t++) {
                float[][] side = gmfItemSide[it[t] / tile];
                int at = it[t] % tile;
                int row = u[t] * factor;
                float sum = 0;
                for (int j = 0; j < factor; j++) {
                    sum += gmfUser[row + j] * side[j][at];
                }
                lt[t] += sum;
            }
        }
        if (mlpUser != null && layers.length == 0) {
            for (int t = 0; t < n; t++) {
                float sum = itemTerm[it[t]];
                for (int j = 0; j < half; j++) {
                    sum += mlpUser[u[t] * half + j] * userWeight[j];
                }
                lt[t] += sum;
            }
        }
        if (itemSide != null) {
            float[][] g = s.userColumns;
            for (int j = 0; j < half; j++) {
                float[] column = g[j];
                for (int t = 0; t < n; t++) {
                    column[t] = mlpUser[u[t] * half + j];
                }
            }
            float[][] h = s.a;
            for (int o = 0; o < layers[0]; o++) {
                float[] y = h[o];
                for (int t = 0; t < n; t++) {
                    y[t] = itemSide[it[t] / tile][o][it[t] % tile];
                }
            }
            layer(userWeight, null, half, layers[0], g, h, n); // relu(W1u p_u + the item's side)
            tower(h, s.c, lt, n);
        }
        System.arraycopy(lt, 0, out, from, n);
    }

    /** How tiles are computed, for the load's log line: the vector API and its vector size, or scalar loops. */
    public String tileCode() {
        return vector != null ? "vector API, " + VectorTiles.bits() + "-bit" : "scalar loops";
    }

    /** {@code value} as an index into {@code size} entries, or IllegalArgumentException naming {@code what}. */
    private static int index(long value, int size, String what) {
        if (value < 0 || value >= size) {
            throw new IllegalArgumentException(what + " " + value + " is not in 0.." + (size - 1));
        }
        return (int) value;
    }

    private static float sigmoid(float logit) {
        return (float) (1.0 / (1.0 + Math.exp(-logit)));
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
                java.util.Arrays.fill(y0, 0, n, b[o]);
                java.util.Arrays.fill(y1, 0, n, b[o + 1]);
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
                java.util.Arrays.fill(y, 0, n, b[o]);
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
