package org.ncf4j.bundle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A read-only table of float32 values, indexed by {@code long}: one or more little-endian buffers (memory-mapped
 * parts of a bundle's data file, or a graph's inline bytes) of the same size each but the last (a power of two,
 * {@link #PIECE_BYTES}, or the size of the pieces a graph declares the table in, whole rows of at most 1 GiB), so
 * that tables over 2 GB, beyond one buffer's int index, read as one. Reads are absolute, so threads may share it.
 */
public final class FloatTable {
    /** Bytes per piece of a table over 2 GB: 2^28 floats, 1 GiB. */
    public static final long PIECE_BYTES = 1L << 30;

    private final FloatBuffer[] pieces;
    private final ByteBuffer single;
    private final long size;
    private final long perPiece; // values per piece
    private final int shift; // perPiece is 2^shift, or -1 when it is no power of two
    private final long mask;

    private FloatTable(List<ByteBuffer> parts, ByteBuffer whole, long pieceBytes) {
        if (pieceBytes < 4 || pieceBytes % 4 != 0) {
            throw new IllegalArgumentException("pieces of " + pieceBytes + " bytes: not a whole number of floats");
        }
        perPiece = pieceBytes / 4;
        shift = Long.bitCount(perPiece) == 1 ? Long.numberOfTrailingZeros(perPiece) : -1;
        mask = shift < 0 ? 0 : (1L << shift) - 1;
        pieces = new FloatBuffer[parts.size()];
        long n = 0;
        for (int p = 0; p < pieces.length; p++) {
            ByteBuffer b = parts.get(p);
            if (p + 1 < pieces.length ? b.remaining() != pieceBytes : b.remaining() > pieceBytes) {
                throw new IllegalArgumentException("piece " + p + " holds " + b.remaining() + " bytes, expected "
                        + (p + 1 < pieces.length ? "" : "at most ") + pieceBytes);
            }
            pieces[p] = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            n += pieces[p].remaining();
        }
        single = whole;
        size = n;
    }

    /**
     * A table over pieces of little-endian bytes (each from its position to its limit): all but the last of the
     * first one's size, a whole number of floats ({@link #PIECE_BYTES} for the mappings of a data file, or a
     * graph's pieces), the last at most that.
     */
    public static FloatTable of(List<ByteBuffer> pieces) {
        return pieces.size() == 1 ? of(pieces.get(0)) : new FloatTable(pieces, null, pieces.get(0).remaining());
    }

    /** A table over one buffer of little-endian bytes (from its position to its limit). */
    public static FloatTable of(ByteBuffer bytes) {
        ByteBuffer whole = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        List<ByteBuffer> pieces = new java.util.ArrayList<>();
        for (long at = 0; at < whole.limit() || pieces.isEmpty(); at += PIECE_BYTES) {
            pieces.add(whole.slice((int) at, (int) Math.min(PIECE_BYTES, whole.limit() - at)));
        }
        return new FloatTable(pieces, whole, PIECE_BYTES);
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
        if (shift >= 0) {
            return pieces[(int) (index >>> shift)].get((int) (index & mask));
        }
        int p = (int) (index / perPiece);
        return pieces[p].get((int) (index - p * perPiece));
    }

    /** Copies {@code length} values from {@code from} on into {@code dst} at {@code offset}. */
    public void get(long from, float[] dst, int offset, int length) {
        while (length > 0) {
            int p = (int) (shift >= 0 ? from >>> shift : from / perPiece);
            FloatBuffer piece = pieces[p];
            int at = (int) (shift >= 0 ? from & mask : from - p * perPiece);
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
