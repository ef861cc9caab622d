package org.ncf4j.server.kernel;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.FloatTable;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.server.compute.CandidateScorer;
import org.ncf4j.server.compute.PairScorer;
import org.ncf4j.server.compute.PairScores;
import org.ncf4j.server.compute.Ranker;
import org.ncf4j.server.compute.Rankings;

/**
 * The ranking graph's function computed in Java, for the CPU: the same constants (read from the graph's
 * initializers, {@link GraphConstants}), the layers fused per tile of items ({@link TiledConstants}) so that a
 * tile's hidden activations stay in the processor's second-level cache, where ONNX Runtime writes and reads each
 * layer's output for the whole catalogue in turn. Results agree with the graph's up to float rounding; the model's
 * loader checks that on a probe before serving with it. Thread-safe: a run's buffers are its own.
 *
 * <p>Per user: GMF's logits {@code p_u . (h_G * q_i)}; the MLP's first layer {@code relu(W1u p_u + itemSide_i)};
 * the further layers; the output weights; then exclusions and the k best by logit, ties by the lower item index,
 * as ONNX TopK orders them ({@link TopK}). Pairs ({@link #score}) go through the same layers, a tile of pairs at a
 * time, with each pair's constants gathered into the tile first.
 *
 * <p>Where the JVM has the JDK's vector API ({@link #VECTOR_API}), tiles of items and of pairs are computed by
 * {@link VectorTiles}, a vector at a time through every layer; otherwise by the scalar loops of
 * {@link ScalarTiles}, which the JIT vectorises layer by layer in some starts and not in others.
 */
public final class FusedRanker implements Ranker, PairScorer, CandidateScorer {
    /**
     * Whether tiles are computed with the JDK's vector API ({@link VectorTiles}): when the JVM runs with
     * {@code --add-modules jdk.incubator.vector}, as the server's launchers start it where the JDK has that
     * module, and the processor's vectors hold at least 256 bits (with fewer lanes the API gains little over the
     * scalar loops where the JIT vectorises them). Otherwise the scalar loops serve: the same results up to float
     * rounding, slower.
     */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && VectorTiles.bits() >= 256;

    private final TiledConstants constants;
    private final int users;
    private final int items;
    private final int tile;
    private final int half;
    private final int factor;
    private final FloatTable gmfUser;
    private final FloatTable mlpUser;
    private final float[] userWeight;
    private final float[] itemTerm;
    private final boolean firstLayer; // hidden MLP layers: a user has a first-layer part
    private final int width; // the first hidden layer's width
    private final float outputBias;
    /** Each thread's buffers (a run allocates only its results). */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final ScalarTiles scalar;
    /** The vector API's tiles, or null: the scalar loops. */
    private final VectorTiles vector;

    private FusedRanker(TiledConstants c, boolean vectorApi) {
        constants = c;
        users = c.users;
        items = c.items;
        tile = c.tile;
        half = c.half;
        factor = c.factor;
        gmfUser = c.gmfUser;
        mlpUser = c.mlpUser;
        userWeight = c.userWeight;
        itemTerm = c.itemTerm;
        firstLayer = c.side != null;
        width = firstLayer ? c.layers[0] : 0;
        outputBias = c.outputBias;
        scalar = new ScalarTiles(c);
        vector = vectorApi ? new VectorTiles(c) : null;
    }

    /**
     * The ranker for a bundle's ranking graph, or empty with the reason when the graph is not one this class
     * computes (another producer, another layout, constants missing or of other sizes).
     *
     * @param tables the bundle's tables stored as external data ({@link org.ncf4j.bundle.Bundle#tables}), read
     *     where they are
     */
    public static Optional<FusedRanker> of(byte[] rankGraph, Map<String, FloatTable> tables, BundleCard card,
                                           StringBuilder whyNot) {
        return of(rankGraph, tables, card, whyNot, VECTOR_API);
    }

    /**
     * As {@link #of(byte[], Map, BundleCard, StringBuilder)}, with the vector API's tiles where this JVM can have
     * them, or without (tests of both).
     */
    static Optional<FusedRanker> of(byte[] rankGraph, Map<String, FloatTable> tables, BundleCard card,
                                    StringBuilder whyNot, boolean vectorApi) {
        return of(rankGraph, tables, card, whyNot, vectorApi, TiledConstants.HEAP_TILES_BYTES);
    }

    /** As above, copying item sides into tiles up to {@code heapTilesBytes} (tests of both ways to read them). */
    static Optional<FusedRanker> of(byte[] rankGraph, Map<String, FloatTable> tables, BundleCard card,
                                    StringBuilder whyNot, boolean vectorApi, long heapTilesBytes) {
        try {
            ModelShape shape = card.shape();
            TiledConstants c = new TiledConstants(shape, GraphConstants.read(rankGraph, tables, shape),
                    heapTilesBytes);
            return Optional.of(new FusedRanker(c, vectorApi && VECTOR_API));
        } catch (IllegalArgumentException e) {
            whyNot.append(e.getMessage());
            return Optional.empty();
        }
    }

    /** Users of the model: user indices run from 0 to this, exclusive. */
    public int users() {
        return users;
    }

    /** Items of the catalogue: item indices run from 0 to this, exclusive. */
    public int items() {
        return items;
    }

    @Override
    public Rankings rank(long[] users, long[] exclude, int k) {
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
        return new Rankings(outItems, outScores);
    }

    /** The (row, item) pairs checked and ordered by row (they usually come so already). */
    private long[] byRow(long[] exclude) {
        boolean ordered = true;
        for (int e = 0; e + 1 < exclude.length; e += 2) {
            TiledConstants.index(exclude[e + 1], items, "excluded item");
            ordered &= e == 0 || exclude[e - 2] <= exclude[e];
        }
        if (ordered) {
            return exclude;
        }
        long[][] rows = new long[exclude.length / 2][];
        for (int e = 0; e < rows.length; e++) {
            rows[e] = new long[] {exclude[2 * e], exclude[2 * e + 1]};
        }
        Arrays.sort(rows, (x, y) -> Long.compare(x[0], y[0]));
        long[] out = new long[exclude.length];
        for (int e = 0; e < rows.length; e++) {
            out[2 * e] = rows[e][0];
            out[2 * e + 1] = rows[e][1];
        }
        return out;
    }

    /** One thread's buffers: a tile's logits and the tile arithmetic's own. */
    private final class Scratch {
        final float[] logits = new float[tile];
        final ScalarTiles.Scratch scalar = new ScalarTiles.Scratch(constants);
        final VectorTiles.Scratch chunk = vector == null ? null : new VectorTiles.Scratch(constants.widest);
        /**
         * The first layer's item side gathered for some items ({@link #logits(int, int[])}), made on first use (the
         * scalar tile computes its activations in {@link ScalarTiles.Scratch#a}).
         */
        private float[][] item;

        float[][] gatheredItem() {
            if (item == null) {
                item = constants.scratchTile(width);
            }
            return item;
        }
    }

    /**
     * Every item's logit for each user, into {@code out} (one row per user). Tile by tile, every user of the batch
     * in turn, so that a tile's item constants are read from memory once per batch.
     */
    private void logits(long[] users, float[][] out, Scratch s) {
        float[][] pu = new float[users.length][];
        float[][] gu = new float[users.length][];
        for (int row = 0; row < users.length; row++) {
            int u = TiledConstants.index(users[row], this.users, "user index");
            pu[row] = start(u, out[row]);
            if (gmfUser != null) {
                gu[row] = new float[factor];
                TiledConstants.userRow(gmfUser, u, gu[row]);
            }
        }
        int tiles = constants.tiles();
        for (int ti = 0; ti < tiles; ti++) {
            float[][] gSide = gmfUser == null ? null : constants.gmfTile(ti, s.scalar.gmfTile);
            float[][] mSide = firstLayer ? constants.itemTile(ti, s.scalar.itemTile) : null;
            for (int row = 0; row < users.length; row++) {
                tile(ti, gSide, mSide, gu[row], pu[row], out[row], s);
            }
        }
    }

    /**
     * A user's logits before the tiles: the output bias, or with an MLP without hidden layers its whole logits;
     * returns the user's part of the first MLP layer (null without hidden layers).
     */
    private float[] start(int u, float[] out) {
        float[] p = mlpRow(u);
        if (mlpUser != null && !firstLayer) {
            float term = noHiddenTerm(p);
            for (int i = 0; i < items; i++) {
                out[i] = term + itemTerm[i];
            }
        } else {
            Arrays.fill(out, outputBias);
        }
        return firstLayerPart(p);
    }

    /** The user's MLP embedding (zeros without an MLP). */
    private float[] mlpRow(int u) {
        float[] p = new float[half];
        if (mlpUser != null) {
            TiledConstants.userRow(mlpUser, u, p);
        }
        return p;
    }

    /** An MLP without hidden layers: the output bias and the user's term, to which each item adds its own. */
    private float noHiddenTerm(float[] p) {
        float term = outputBias;
        for (int j = 0; j < half; j++) {
            term += p[j] * userWeight[j];
        }
        return term;
    }

    /** The user's part of the first MLP layer, {@code W1u p_u}, or null without hidden layers. */
    private float[] firstLayerPart(float[] p) {
        if (!firstLayer) {
            return null;
        }
        float[] pu = new float[width];
        for (int o = 0; o < width; o++) {
            float t = 0;
            for (int j = 0; j < half; j++) {
                t += p[j] * userWeight[o * half + j];
            }
            pu[o] = t;
        }
        return pu;
    }

    /**
     * One user's logits for some items (any order; duplicates allowed): the ranking's tile arithmetic on tiles
     * gathered from those items' constants, the user's part computed once. What re-ranks retrieval's candidates:
     * per item it costs what a ranking of the whole catalogue costs, where scoring them as pairs
     * ({@link #score}) repeats the user's part of the first layer for every pair.
     */
    @Override
    public float[] logits(int user, int[] some) {
        int u = TiledConstants.index(user, users, "user index");
        Scratch s = scratch.get();
        float[] p = mlpRow(u);
        float base = mlpUser != null && !firstLayer ? noHiddenTerm(p) : outputBias;
        float[] pu = firstLayerPart(p);
        float[] gu = null;
        if (gmfUser != null) {
            gu = new float[factor];
            TiledConstants.userRow(gmfUser, u, gu);
        }
        float[][] gSide = gmfUser == null ? null : s.scalar.gmfColumns;
        float[][] mSide = firstLayer ? s.gatheredItem() : null;
        float[] out = new float[some.length];
        float[] lt = s.logits;
        for (int from = 0; from < some.length; from += tile) {
            int n = Math.min(tile, some.length - from);
            int[] chosen = s.scalar.pairItems;
            for (int t = 0; t < n; t++) {
                int item = TiledConstants.index(some[from + t], items, "item index");
                chosen[t] = item;
                lt[t] = itemTerm != null ? base + itemTerm[item] : base;
            }
            if (gSide != null) {
                constants.gmfColumns(chosen, n, gSide);
            }
            if (mSide != null) {
                constants.sideColumns(chosen, n, mSide);
            }
            if (vector != null) {
                int padded = (n + TiledConstants.VECTOR_PAD - 1) / TiledConstants.VECTOR_PAD
                        * TiledConstants.VECTOR_PAD;
                clear(gSide, n, padded);
                clear(mSide, n, padded);
                vector.tile(gSide, mSide, gu, pu, lt, n, s.chunk);
            } else {
                scalar.tile(gSide, mSide, gu, pu, lt, n, s.scalar);
            }
            System.arraycopy(lt, 0, out, from, n);
        }
        return out;
    }

    /** Every item's logit for one user, by the whole catalogue's tiles. */
    @Override
    public float[] all(int user) {
        float[][] out = new float[1][items];
        logits(new long[] {user}, out, scratch.get());
        return out[0];
    }

    /** Zeros columns [n, padded) of a gathered tile: the vector kernel reads whole vectors. */
    private static void clear(float[][] tile, int n, int padded) {
        if (tile != null) {
            for (float[] row : tile) {
                Arrays.fill(row, n, padded, 0f);
            }
        }
    }

    /**
     * Adds one tile's GMF and MLP logits for a user (GMF embedding {@code gu}, first-layer part {@code pu}) to
     * {@code out}; {@code gSide} and {@code mSide} are the tile's item sides.
     */
    private void tile(int ti, float[][] gSide, float[][] mSide, float[] gu, float[] pu, float[] out, Scratch s) {
        float[] lt = s.logits;
        int i0 = ti * tile;
        int n = Math.min(tile, items - i0);
        System.arraycopy(out, i0, lt, 0, n);
        if (vector != null) {
            vector.tile(gSide, mSide, gu, pu, lt, n, s.chunk);
        } else {
            scalar.tile(gSide, mSide, gu, pu, lt, n, s.scalar);
        }
        System.arraycopy(lt, 0, out, i0, n);
    }

    /**
     * Probabilities and logits of the pairs (users[i], items[i]), as the scoring graph computes them (up to
     * float rounding), a tile of pairs at a time.
     */
    @Override
    public PairScores score(long[] pairUsers, long[] pairItems) {
        if (pairUsers.length != pairItems.length) {
            throw new IllegalArgumentException(pairUsers.length + " users for " + pairItems.length + " items");
        }
        int n = pairUsers.length;
        float[] logits = new float[n];
        Scratch s = scratch.get();
        for (int from = 0; from < n; from += tile) {
            int m = Math.min(tile, n - from);
            scalar.gatherPairs(pairUsers, pairItems, from, m, s.logits, s.scalar);
            if (firstLayer && vector != null) {
                vector.pairs(s.scalar.userColumns, s.scalar.a, s.logits, m, s.chunk);
            } else if (firstLayer) {
                scalar.pairLayers(s.logits, m, s.scalar);
            }
            System.arraycopy(s.logits, 0, logits, from, m);
        }
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = sigmoid(logits[i]);
        }
        return new PairScores(scores, logits);
    }

    /** How tiles are computed, for the load's log line: the vector API and its vector size, or scalar loops. */
    public String tileCode() {
        return vector != null ? "vector API, " + VectorTiles.bits() + "-bit" : "scalar loops";
    }

    private static float sigmoid(float logit) {
        return (float) (1.0 / (1.0 + Math.exp(-logit)));
    }
}
