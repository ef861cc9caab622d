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
    /** The step of the values: the vectors' largest norm / 127 (1 when every vector is zero). */
    private final float step;
    private final byte[] row;

    private ByteVectors(byte[] values, int dim, float step) {
        this.values = values;
        this.dim = dim;
        this.size = values.length / dim;
        this.step = step;
        this.row = new byte[dim];
    }

    /** The vectors, every one of norm at most {@code radius}, rounded to steps of {@code radius / 127}. */
    static ByteVectors of(java.util.List<float[]> vectors, int dim, double radius) {
        float step = radius > 0 ? (float) (radius / 127) : 1;
        byte[] out = new byte[Math.multiplyExact(vectors.size(), dim)];
        for (int i = 0; i < vectors.size(); i++) {
            quantize(vectors.get(i), step, out, i * dim);
        }
        return new ByteVectors(out, dim, step);
    }

    /** A query (of norm at most the radius) in the vectors' steps. */
    byte[] query(float[] v) {
        byte[] q = new byte[v.length];
        quantize(v, step, q, 0);
        return q;
    }

    /** {@code v} rounded to steps of {@code step} into {@code out[at ..]}, clipped to -127..127. */
    private static void quantize(float[] v, float step, byte[] out, int at) {
        for (int j = 0; j < v.length; j++) {
            out[at + j] = (byte) Math.max(-127, Math.min(127, Math.round(v[j] / step)));
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
        return new ByteVectors(values, dim, step);
    }

    long bytes() {
        return values.length + 16L;
    }
}
