package org.ncf4j.server.retrieval;

import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * The index's vectors as bytes, in one array: each value rounded to one of 255 steps of {@code scale}, the same
 * for every dimension, so that the squared distance of two byte vectors is the squared distance of the floats they
 * stand for, divided by {@code scale^2}. A quarter of the floats' memory; the error is at most half a step per
 * value (a 254th of the largest norm), which moves an item among the C candidates, not out of them, and the
 * candidates are re-ranked with the exact model.
 */
final class ByteVectors implements RandomAccessVectorValues.Bytes {
    private final byte[] values;
    private final int dim;
    private final int size;
    private final byte[] row;

    private ByteVectors(byte[] values, int dim) {
        this.values = values;
        this.dim = dim;
        this.size = values.length / dim;
        this.row = new byte[dim];
    }

    /** The vectors, rounded to steps of {@code scale} (every |value| / scale at most 127). */
    static ByteVectors of(java.util.List<float[]> vectors, int dim, float scale) {
        byte[] out = new byte[Math.multiplyExact(vectors.size(), dim)];
        for (int i = 0; i < vectors.size(); i++) {
            quantize(vectors.get(i), scale, out, i * dim);
        }
        return new ByteVectors(out, dim);
    }

    /** {@code v} rounded to steps of {@code scale} into {@code out[at ..]}, clipped to -127..127. */
    static void quantize(float[] v, float scale, byte[] out, int at) {
        for (int j = 0; j < v.length; j++) {
            out[at + j] = (byte) Math.max(-127, Math.min(127, Math.round(v[j] / scale)));
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int dimension() {
        return dim;
    }

    /** The vector of item {@code ord}, in a buffer of this copy's that the next call overwrites. */
    @Override
    public byte[] vectorValue(int ord) {
        System.arraycopy(values, ord * dim, row, 0, dim);
        return row;
    }

    /** Another reader of the same vectors, with its own buffer (one per search). */
    @Override
    public ByteVectors copy() {
        return new ByteVectors(values, dim);
    }

    long bytes() {
        return values.length + 16L;
    }
}
