package org.ncf4j.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A float32 tensor's own memory on the CPU, seen from Java as rows: {@code [rows, rowLength]} (a 1-D tensor is one
 * row), with no copy. Java's buffers are int-indexed and DJL refuses to hand over a tensor of more than 2 GB as one
 * buffer, so the memory is viewed in chunks of whole rows (a power of two of rows, at most 1 GB each), each a view
 * of a slice of the tensor that shares its memory: a table of any size is read and written in place.
 *
 * <p>Reads and writes of distinct rows may run in several threads at once (the Hogwild workers do).
 */
public final class TensorMemory {
    /** At most this many floats per chunk (1 GB). */
    private static final long CHUNK_FLOATS = 1L << 28;

    private final long rows;
    private final int rowLength;
    private final int shift;
    private final long mask;
    private final FloatBuffer[] chunks;

    private TensorMemory(long rows, int rowLength, int shift, FloatBuffer[] chunks) {
        this.rows = rows;
        this.rowLength = rowLength;
        this.shift = shift;
        this.mask = (1L << shift) - 1;
        this.chunks = chunks;
    }

    /** Whether {@code array}'s memory can be viewed: a float32 tensor on the CPU. */
    public static boolean supports(NDArray array) {
        return Device.Type.CPU.equals(array.getDevice().getDeviceType()) && array.getDataType() == DataType.FLOAT32;
    }

    /**
     * Views the memory of {@code array}, a contiguous float32 tensor on the CPU of one or two dimensions (or a
     * scalar). The views are slices of {@code array}, attached to its manager.
     *
     * @throws IllegalArgumentException when the tensor is of another type or device, or not contiguous
     */
    public static TensorMemory of(NDArray array) {
        return of(array, CHUNK_FLOATS);
    }

    /** As {@link #of(NDArray)}, with chunks of at most {@code chunkFloats} floats (tests use small ones). */
    static TensorMemory of(NDArray array, long chunkFloats) {
        if (!supports(array)) {
            throw new IllegalArgumentException("not a float32 tensor on the CPU: " + array.getDataType() + " on "
                    + array.getDevice());
        }
        long[] shape = array.getShape().getShape();
        if (shape.length > 2) {
            throw new IllegalArgumentException("a table has one or two dimensions, not " + shape.length);
        }
        long rows = shape.length == 2 ? shape[0] : 1;
        int rowLength = Math.toIntExact(shape.length == 2 ? shape[1] : array.size());
        int shift = 0;
        while ((2L << shift) * Math.max(1, rowLength) <= chunkFloats && (1L << shift) < rows) {
            shift++;
        }
        long perChunk = 1L << shift;
        List<FloatBuffer> chunks = new ArrayList<>();
        if (shape.length < 2 || rows <= perChunk) {
            chunks.add(view(array, (long) rowLength * rows));
        } else {
            for (long from = 0; from < rows; from += perChunk) {
                long to = Math.min(rows, from + perChunk);
                NDArray slice = array.get(new NDIndex("{}:{}", from, to)); // a view: it shares the memory
                chunks.add(view(slice, (to - from) * rowLength));
            }
        }
        return new TensorMemory(rows, rowLength, shift, chunks.toArray(new FloatBuffer[0]));
    }

    private static FloatBuffer view(NDArray array, long floats) {
        ByteBuffer bytes = array.toByteBuffer(true);
        if (!bytes.isDirect() || bytes.capacity() != floats * Float.BYTES) {
            throw new IllegalArgumentException("the tensor's memory is not one contiguous block of " + floats
                    + " floats");
        }
        return bytes.order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public long rows() {
        return rows;
    }

    public int rowLength() {
        return rowLength;
    }

    /** Number of floats. */
    public long size() {
        return rows * rowLength;
    }

    /** The value at {@code (row, column)}. */
    public float get(long row, int column) {
        return chunks[(int) (row >>> shift)].get((int) (row & mask) * rowLength + column);
    }

    /**
     * The buffer that holds row {@code row}, which starts at {@link #offset} in it: for reading and writing a row's
     * values one at a time, in place (a bulk copy of a short row costs more than its arithmetic).
     */
    public FloatBuffer chunk(long row) {
        return chunks[(int) (row >>> shift)];
    }

    /** Whether every row is in one chunk: {@code chunk(0)}, row r at {@code r * rowLength()}. */
    public boolean oneChunk() {
        return chunks.length == 1;
    }

    /** Where row {@code row} starts in its {@link #chunk}. */
    public int offset(long row) {
        return (int) (row & mask) * rowLength;
    }

    /** Copies row {@code row} into {@code out[at .. at + rowLength)}. */
    public void getRow(long row, float[] out, int at) {
        chunks[(int) (row >>> shift)].get((int) (row & mask) * rowLength, out, at, rowLength);
    }

    /** Writes {@code in[at .. at + rowLength)} into row {@code row}. */
    public void putRow(long row, float[] in, int at) {
        chunks[(int) (row >>> shift)].put((int) (row & mask) * rowLength, in, at, rowLength);
    }

    /** Copies {@code n} floats from position {@code from} (row-major) into {@code out[at ..]}. */
    public void get(long from, float[] out, int at, int n) {
        move(from, out, at, n, false);
    }

    /** Writes {@code n} floats of {@code in[at ..]} at position {@code from} (row-major). */
    public void put(long from, float[] in, int at, int n) {
        move(from, in, at, n, true);
    }

    private void move(long from, float[] a, int at, int n, boolean write) {
        long perChunk = (1L << shift) * rowLength;
        while (n > 0) {
            int c = (int) (from / perChunk);
            int offset = (int) (from - c * perChunk);
            int len = (int) Math.min(n, chunks[c].capacity() - offset);
            if (write) {
                chunks[c].put(offset, a, at, len);
            } else {
                chunks[c].get(offset, a, at, len);
            }
            from += len;
            at += len;
            n -= len;
        }
    }

    /** A copy of the whole tensor; only for tensors of fewer than 2^31 floats (layers, small tables). */
    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size())];
        get(0, out, 0, out.length);
        return out;
    }

    /** Copies every float of {@code from}, a tensor of the same size, into this one. */
    public void copyFrom(TensorMemory from) {
        if (from.size() != size()) {
            throw new IllegalArgumentException("cannot copy " + from.size() + " floats into " + size());
        }
        float[] buffer = new float[(int) Math.min(size(), 1 << 16)];
        for (long at = 0; at < size(); at += buffer.length) {
            int n = (int) Math.min(buffer.length, size() - at);
            from.get(at, buffer, 0, n);
            put(at, buffer, 0, n);
        }
    }

    /** Whether every value is finite. */
    public boolean allFinite() {
        float[] buffer = new float[(int) Math.min(size(), 1 << 16)];
        for (long at = 0; at < size(); at += buffer.length) {
            int n = (int) Math.min(buffer.length, size() - at);
            get(at, buffer, 0, n);
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(buffer[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes the floats big-endian, as {@link DataOutputStream#writeFloat} would, in blocks. */
    public void writeTo(DataOutputStream out) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(1 << 18);
        FloatBuffer floats = bytes.asFloatBuffer();
        float[] buffer = new float[floats.capacity()];
        for (long at = 0; at < size(); at += buffer.length) {
            int n = (int) Math.min(buffer.length, size() - at);
            get(at, buffer, 0, n);
            floats.clear();
            floats.put(buffer, 0, n);
            out.write(bytes.array(), 0, n * Float.BYTES);
        }
    }

    /** Reads what {@link #writeTo} wrote, into this tensor's memory. */
    public void readFrom(DataInputStream in) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(1 << 18);
        FloatBuffer floats = bytes.asFloatBuffer();
        float[] buffer = new float[floats.capacity()];
        for (long at = 0; at < size(); at += buffer.length) {
            int n = (int) Math.min(buffer.length, size() - at);
            in.readFully(bytes.array(), 0, n * Float.BYTES);
            floats.clear();
            floats.get(buffer, 0, n);
            put(at, buffer, 0, n);
        }
    }
}
