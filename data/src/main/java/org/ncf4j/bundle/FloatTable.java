package org.ncf4j.bundle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A read-only table of float32 values, indexed by {@code long}: one or more little-endian buffers (memory-mapped
 * parts of a bundle's data file, or a graph's inline bytes) of {@link #PIECE_FLOATS} values each but the last, so
 * that tables over 2 GB, beyond one buffer's int index, read as one. Reads are absolute, so threads may share it.
 */
public final class FloatTable {
    /** Values per piece: 2^28 floats, 1 GiB. */
    public static final long PIECE_BYTES = 1L << 30;
    private static final int SHIFT = 28;
    private static final long MASK = (1L << SHIFT) - 1;

    private final FloatBuffer[] pieces;
    private final ByteBuffer single;
    private final long size;

    private FloatTable(List<ByteBuffer> parts, ByteBuffer whole) {
        pieces = new FloatBuffer[parts.size()];
        long n = 0;
        for (int p = 0; p < pieces.length; p++) {
            ByteBuffer b = parts.get(p);
            if (p + 1 < pieces.length && b.remaining() != PIECE_BYTES) {
                throw new IllegalArgumentException("piece " + p + " holds " + b.remaining() + " bytes, expected "
                        + PIECE_BYTES);
            }
            pieces[p] = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            n += pieces[p].remaining();
        }
        single = whole;
        size = n;
    }

    /**
     * A table over pieces of little-endian bytes (each from its position to its limit), {@link #PIECE_BYTES} each
     * but the last.
     */
    public static FloatTable of(List<ByteBuffer> pieces) {
        return pieces.size() == 1 ? of(pieces.get(0)) : new FloatTable(pieces, null);
    }

    /** A table over one buffer of little-endian bytes (from its position to its limit). */
    public static FloatTable of(ByteBuffer bytes) {
        ByteBuffer whole = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        List<ByteBuffer> pieces = new java.util.ArrayList<>();
        for (long at = 0; at < whole.limit() || pieces.isEmpty(); at += PIECE_BYTES) {
            pieces.add(whole.slice((int) at, (int) Math.min(PIECE_BYTES, whole.limit() - at)));
        }
        return new FloatTable(pieces, whole);
    }

    /** A table of these values (in the heap; for small tables and tests). */
    public static FloatTable of(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return of(b);
    }

    /** Number of values. */
    public long size() {
        return size;
    }

    public float get(long index) {
        return pieces[(int) (index >>> SHIFT)].get((int) (index & MASK));
    }

    /** Copies {@code length} values from {@code from} on into {@code dst} at {@code offset}. */
    public void get(long from, float[] dst, int offset, int length) {
        while (length > 0) {
            FloatBuffer piece = pieces[(int) (from >>> SHIFT)];
            int at = (int) (from & MASK);
            int n = Math.min(length, piece.limit() - at);
            piece.get(at, dst, offset, n);
            from += n;
            offset += n;
            length -= n;
        }
    }

    /** The values (a copy in the heap): for small tables only. */
    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size)];
        get(0, out, 0, out.length);
        return out;
    }

    /**
     * The whole table as one little-endian buffer (shared, not copied), when it fits one: what a runtime can take
     * in place of the tensor's data. Empty for tables of several pieces.
     */
    public Optional<ByteBuffer> bytes() {
        return single == null ? Optional.empty() : Optional.of(single.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    }
}
