package org.ncf4j.server.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FusedRanker}'s tile of items, or of pairs, computed with the JDK's vector API: a vector at a time goes
 * through every layer while its activations stay in registers or in a few KiB of scratch, and each dense layer
 * keeps eight outputs (two vectors each) in registers across its inputs, so that an activation loaded serves eight
 * outputs and a weight broadcast serves two vectors. The scalar kernel instead streams each layer's activations
 * for the whole tile through the cache ({@link ScalarTiles}), which makes it bound by loads and stores rather than
 * multiply-adds.
 *
 * <p>Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} ({@link FusedRanker#VECTOR_API});
 * the scalar loops serve otherwise. Constants are laid out by {@link TiledConstants}, whose tiles hold a multiple of
 * {@link TiledConstants#VECTOR_PAD} items (zeros past the catalogue's end), so that every vector is whole.
 */
final class VectorTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private final int factor;
    private final int half;
    private final float[] userWeight;
    private final int[] layers;
    private final float[][] weights;
    private final float[][] biases;
    private final float[] outputWeight;

    /** Bits of the vectors this JVM computes with (the processor's preferred size). */
    static int bits() {
        return S.vectorBitSize();
    }

    VectorTiles(TiledConstants c) {
        if (TiledConstants.VECTOR_PAD % V != 0) {
            throw new IllegalStateException(V + " float lanes do not divide the tiles' padding");
        }
        factor = c.factor;
        half = c.half;
        userWeight = c.userWeight;
        layers = c.layers;
        weights = c.weights;
        biases = c.biases;
        outputWeight = c.outputWeight;
    }

    /** A run's buffers: two layers' activations for two vectors of items or pairs. */
    static final class Scratch {
        final float[] a;
        final float[] b;

        Scratch(int widest) {
            a = new float[widest * 2 * V];
            b = new float[widest * 2 * V];
        }
    }

    /**
     * Adds the logits of a tile's first {@code n} items for a user (whose GMF embedding is {@code gu} and
     * first-layer part {@code pu}) to {@code lt}, which has room for {@code n} rounded up to
     * {@link TiledConstants#VECTOR_PAD}; {@code gSide} and {@code mSide} are the tile's item sides.
     */
    void tile(float[][] gSide, float[][] mSide, float[] gu, float[] pu, float[] lt, int n, Scratch s) {
        int padded = (n + TiledConstants.VECTOR_PAD - 1) / TiledConstants.VECTOR_PAD * TiledConstants.VECTOR_PAD;
        int c = 0;
        for (; c + 2 * V <= padded; c += 2 * V) {
            chunk(gSide, mSide, gu, pu, lt, c, 2, s);
        }
        if (c < padded) {
            chunk(gSide, mSide, gu, pu, lt, c, 1, s);
        }
    }

    /** {@code vectors} (1 or 2) vectors of items from {@code c} through every layer. */
    private void chunk(float[][] gSide, float[][] mSide, float[] gu, float[] pu, float[] lt, int c, int vectors,
                       Scratch s) {
        FloatVector l0 = FloatVector.fromArray(S, lt, c);
        FloatVector l1 = vectors == 2 ? FloatVector.fromArray(S, lt, c + V) : null;
        if (gSide != null) {
            float[][] side = gSide;
            for (int j = 0; j < factor; j++) {
                FloatVector p = FloatVector.broadcast(S, gu[j]);
                l0 = FloatVector.fromArray(S, side[j], c).fma(p, l0);
                if (l1 != null) {
                    l1 = FloatVector.fromArray(S, side[j], c + V).fma(p, l1);
                }
            }
        }
        if (mSide != null) {
            float[] h = s.a;
            float[] next = s.b;
            float[][] side = mSide;
            int stride = vectors * V;
            for (int o = 0; o < layers[0]; o++) {
                FloatVector add = FloatVector.broadcast(S, pu[o]);
                FloatVector.fromArray(S, side[o], c).add(add).max(0f).intoArray(h, o * stride);
                if (vectors == 2) {
                    FloatVector.fromArray(S, side[o], c + V).add(add).max(0f).intoArray(h, o * stride + V);
                }
            }
            l0.intoArray(lt, c);
            if (l1 != null) {
                l1.intoArray(lt, c + V);
            }
            tower(h, next, lt, c, vectors);
            return;
        }
        l0.intoArray(lt, c);
        if (l1 != null) {
            l1.intoArray(lt, c + V);
        }
    }

    /**
     * Adds the hidden layers' logits of a tile's first {@code n} pairs to {@code lt}, which has room for {@code n}
     * rounded up to {@link TiledConstants#VECTOR_PAD}: the first layer from the pairs' users' MLP embeddings
     * {@code users} and their items' side {@code sides} (one row per unit, a column per pair; rows at least as long
     * as {@code lt}), then the rest as for items. Unlike a tile of items, each pair has its own user: the first
     * layer is a dense layer over the users' embeddings with the items' side as its bias.
     */
    void pairs(float[][] users, float[][] sides, float[] lt, int n, Scratch s) {
        int padded = (n + TiledConstants.VECTOR_PAD - 1) / TiledConstants.VECTOR_PAD * TiledConstants.VECTOR_PAD;
        for (int c = 0; c < padded; c += 2 * V) {
            int vectors = c + 2 * V <= padded ? 2 : 1;
            int stride = vectors * V;
            for (int o = 0; o < layers[0]; o++) {
                int row = o * half;
                for (int v = 0; v < vectors; v++) {
                    int at = c + v * V;
                    FloatVector y = FloatVector.fromArray(S, sides[o], at);
                    for (int j = 0; j < half; j++) {
                        FloatVector w = FloatVector.broadcast(S, userWeight[row + j]);
                        y = FloatVector.fromArray(S, users[j], at).fma(w, y);
                    }
                    y.max(0f).intoArray(s.a, o * stride + v * V);
                }
            }
            tower(s.a, s.b, lt, c, vectors);
        }
    }

    /**
     * From a chunk's first hidden layer {@code h} on ({@code next} is room for the next layer): the further layers,
     * then the output weights, added to {@code lt} at {@code c}.
     */
    private void tower(float[] h, float[] next, float[] lt, int c, int vectors) {
        for (int k = 0; k < weights.length; k++) {
            dense(weights[k], biases[k], layers[k], layers[k + 1], h, next, vectors);
            float[] swap = h;
            h = next;
            next = swap;
        }
        int stride = vectors * V;
        float[] w = outputWeight;
        for (int v = 0; v < vectors; v++) {
            FloatVector l = FloatVector.fromArray(S, lt, c + v * V);
            for (int j = 0; j < layers[layers.length - 1]; j++) {
                l = FloatVector.fromArray(S, h, j * stride + v * V).fma(FloatVector.broadcast(S, w[j]), l);
            }
            l.intoArray(lt, c + v * V);
        }
    }

    /**
     * {@code out = relu(W in + b)} for one chunk: {@code in} and {@code out} hold a row of {@code vectors} vectors
     * per unit. Outputs go eight at a time, their sums in registers across all inputs; the rest one at a time.
     */
    private static void dense(float[] w, float[] b, int in, int outWidth, float[] h, float[] out, int vectors) {
        int stride = vectors * V;
        int o = 0;
        if (vectors == 2) {
            for (; o + 7 < outWidth; o += 8) {
                dense8x2(w, b, in, o, h, out);
            }
        }
        for (; o < outWidth; o++) {
            int row = o * in;
            for (int v = 0; v < vectors; v++) {
                FloatVector y = FloatVector.broadcast(S, b[o]);
                for (int j = 0; j < in; j++) {
                    y = FloatVector.fromArray(S, h, j * stride + v * V).fma(FloatVector.broadcast(S, w[row + j]), y);
                }
                y.max(0f).intoArray(out, o * stride + v * V);
            }
        }
    }

    /** Outputs {@code o..o+7} of a dense layer for two vectors of items: sixteen sums held in registers. */
    private static void dense8x2(float[] w, float[] b, int in, int o, float[] h, float[] out) {
        int stride = 2 * V;
        FloatVector a0 = FloatVector.broadcast(S, b[o]);
        FloatVector a1 = FloatVector.broadcast(S, b[o + 1]);
        FloatVector a2 = FloatVector.broadcast(S, b[o + 2]);
        FloatVector a3 = FloatVector.broadcast(S, b[o + 3]);
        FloatVector a4 = FloatVector.broadcast(S, b[o + 4]);
        FloatVector a5 = FloatVector.broadcast(S, b[o + 5]);
        FloatVector a6 = FloatVector.broadcast(S, b[o + 6]);
        FloatVector a7 = FloatVector.broadcast(S, b[o + 7]);
        FloatVector c0 = a0;
        FloatVector c1 = a1;
        FloatVector c2 = a2;
        FloatVector c3 = a3;
        FloatVector c4 = a4;
        FloatVector c5 = a5;
        FloatVector c6 = a6;
        FloatVector c7 = a7;
        int r = o * in;
        for (int j = 0; j < in; j++) {
            FloatVector x = FloatVector.fromArray(S, h, j * stride);
            FloatVector z = FloatVector.fromArray(S, h, j * stride + V);
            FloatVector v;
            v = FloatVector.broadcast(S, w[r + j]);
            a0 = x.fma(v, a0);
            c0 = z.fma(v, c0);
            v = FloatVector.broadcast(S, w[r + in + j]);
            a1 = x.fma(v, a1);
            c1 = z.fma(v, c1);
            v = FloatVector.broadcast(S, w[r + 2 * in + j]);
            a2 = x.fma(v, a2);
            c2 = z.fma(v, c2);
            v = FloatVector.broadcast(S, w[r + 3 * in + j]);
            a3 = x.fma(v, a3);
            c3 = z.fma(v, c3);
            v = FloatVector.broadcast(S, w[r + 4 * in + j]);
            a4 = x.fma(v, a4);
            c4 = z.fma(v, c4);
            v = FloatVector.broadcast(S, w[r + 5 * in + j]);
            a5 = x.fma(v, a5);
            c5 = z.fma(v, c5);
            v = FloatVector.broadcast(S, w[r + 6 * in + j]);
            a6 = x.fma(v, a6);
            c6 = z.fma(v, c6);
            v = FloatVector.broadcast(S, w[r + 7 * in + j]);
            a7 = x.fma(v, a7);
            c7 = z.fma(v, c7);
        }
        int at = o * stride;
        a0.max(0f).intoArray(out, at);
        c0.max(0f).intoArray(out, at + V);
        a1.max(0f).intoArray(out, at + stride);
        c1.max(0f).intoArray(out, at + stride + V);
        a2.max(0f).intoArray(out, at + 2 * stride);
        c2.max(0f).intoArray(out, at + 2 * stride + V);
        a3.max(0f).intoArray(out, at + 3 * stride);
        c3.max(0f).intoArray(out, at + 3 * stride + V);
        a4.max(0f).intoArray(out, at + 4 * stride);
        c4.max(0f).intoArray(out, at + 4 * stride + V);
        a5.max(0f).intoArray(out, at + 5 * stride);
        c5.max(0f).intoArray(out, at + 5 * stride + V);
        a6.max(0f).intoArray(out, at + 6 * stride);
        c6.max(0f).intoArray(out, at + 6 * stride + V);
        a7.max(0f).intoArray(out, at + 7 * stride);
        c7.max(0f).intoArray(out, at + 7 * stride + V);
    }
}
