package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import org.ncf4j.trainer.model.TensorMemory;

/**
 * One embedding table trained row by row: a step gathers the rows its batch uses and updates only those rows, so
 * that a step's cost is proportional to the batch, not to the table. The gradient of a row that occurs several
 * times in a batch is summed first (as a coalesced sparse gradient is); then that row's moments and weights take
 * one Adam step with the global bias correction. Rows the batch did not use are handled one of two ways:
 * <ul>
 *   <li>lazily, as PyTorch's {@code SparseAdam} and TensorFlow's {@code LazyAdam} do: they stay as they are;</li>
 *   <li>caught up (the default, "adam"): dense Adam would move them by their decaying momentum at every step; here
 *       a row records the step it was last updated at, and when a batch next uses it (or the epoch ends) it first
 *       takes all the skipped zero-gradient steps at once ({@link SkippedSteps}). The result is dense Adam's,
 *       at the cost of the rows a batch uses.</li>
 * </ul>
 *
 * <p>The table is the model's own parameter memory ({@link TensorMemory}, no copy), so saving, evaluation and export
 * see every update. The optimizer's state lives outside the JVM's heap too, in a tensor of its own whose row holds
 * the row's last step, first moments and second moments together: a step reads and writes each row's optimizer
 * state at one place, which matters once the tables outgrow the caches (one cache miss per row where separate
 * arrays took three). Workers may gather and update concurrently without locks (Hogwild, Recht et al. 2011): two
 * workers that update one row at once can lose one of the two steps, which rows this sparse make rare and harmless.
 */
final class EmbeddingTable {
    /**
     * One worker's buffers for coalescing a batch's gradient by row: a small open-addressing map from row to slot,
     * sized by the batch (not by the table, whose size must not set a step's cost or memory).
     */
    static final class Scratch {
        private int[] keys = new int[0];
        private int[] slots = new int[0];
        private int[] unique = new int[0];
        private float[] sum = new float[0];
        /** The sum of the values {@link #gather} touched, kept so that its loads are not left out. */
        private float touched;

        /** Prepares for a batch of {@code n} rows of {@code dim} values. */
        void reserve(int n, int dim) {
            if (unique.length < n) {
                unique = new int[n];
                sum = new float[n * dim];
                int size = Integer.highestOneBit(Math.max(2, 2 * n - 1)) << 1;
                keys = new int[size];
                slots = new int[size];
                java.util.Arrays.fill(keys, -1);
            }
        }

        /** The slot of {@code row}, or a new slot {@code next} for it (returned as {@code -1 - next}). */
        int slotOf(int row, int next) {
            int m = keys.length - 1;
            int h = ((row * 0x9E3779B1) >>> 1) & m;
            while (true) {
                int k = keys[h];
                if (k == row) {
                    return slots[h];
                }
                if (k < 0) {
                    keys[h] = row;
                    slots[h] = next;
                    return -1 - next;
                }
                h = (h + 1) & m;
            }
        }

        /** Empties the map after a batch (a fill of twice the batch's size: cheaper than finding the keys). */
        void clear() {
            java.util.Arrays.fill(keys, -1);
        }
    }

    /**
     * The last step a row's state can record: an int whose bits, as a float, are never NaN (whose exponent bits are
     * all ones), so that the value survives every copy of the float.
     */
    static final long MAX_STEP = 0x7F7FFFFFL;

    private final String name;
    private final TensorMemory weights;
    private final int rows;
    private final int dim;
    /**
     * A row's optimizer state, [rows, 2 dim + 1]: with catch-up, the step it was last updated at (0: never; an int's
     * bits in the first float), then its first moments and its second moments; without catch-up only the moments,
     * [rows, 2 dim]. One row of state in one place: one cache miss per row when the tables outgrow the caches.
     */
    private final TensorMemory state;
    /** Where a row's moments start in its state: 1 with catch-up, else 0. */
    private final int m0;
    private final SkippedSteps skipped;
    /** Floats in a row of the optimizer's state. */
    private final int stateLength;
    /** Floats in a cache line (64 bytes on the processors the trainer runs on). */
    private static final int LINE_FLOATS = 16;

    /**
     * @param table a contiguous float32 [rows, dim] tensor on the CPU
     * @param manager where the optimizer's state is allocated (closed with the optimizer)
     * @param skipped how rows take the steps they skipped (dense Adam's result), or null for lazy Adam
     */
    EmbeddingTable(String name, NDArray table, NDManager manager, SkippedSteps skipped) {
        this.name = name;
        this.weights = TensorMemory.of(table);
        this.rows = Math.toIntExact(weights.rows());
        this.dim = weights.rowLength();
        if (table.getShape().dimension() != 2) {
            throw new IllegalArgumentException("embedding " + name + " is not a [rows, dim] table");
        }
        this.skipped = skipped;
        this.m0 = skipped != null ? 1 : 0;
        this.stateLength = 2 * dim + m0;
        this.state = TensorMemory.of(manager.zeros(new Shape(rows, stateLength)));
    }


    String name() {
        return name;
    }

    int dim() {
        return dim;
    }

    int rows() {
        return rows;
    }

    /**
     * Copies rows {@code ids[from .. from + n)} into {@code out} ([n, dim], row-major), as they are before step
     * {@code adam.t()}: with catch-up, a row first takes the steps it skipped, so that the batch computes with the
     * weights dense Adam would have. Two passes: the first reads one value of each cache line of every row's
     * weights and state ({@link #touch}); the second, on rows now in the caches, catches up the rows that skipped
     * steps and copies every row.
     */
    void gather(int[] ids, int from, int n, float[] out, AdamStep adam, Scratch s) {
        s.reserve(n, dim);
        s.touched = state.oneChunk() && weights.oneChunk() ? touch(ids, from, n, state.chunk(0), weights.chunk(0))
                : touch(ids, from, n);
        long until = adam.t() - 1;
        for (int r = 0; r < n; r++) {
            int row = ids[from + r];
            if (m0 > 0) {
                catchUp(row, until); // does nothing for a row up to date (a repeat in this batch among them)
            }
            weights.getRow(row, out, r * dim);
        }
    }

    /**
     * Reads one value of each cache line of the rows' weights and state: loads independent of each other and of
     * any arithmetic, which the processor has in flight together, so that rows outside the caches cost about one
     * memory latency for many rows, not one per line as the arithmetic reaches it. How many rows' loads are in
     * flight at once is set by the processor's window of instructions (a few hundred), so the loop is kept to a
     * few instructions per row ({@link #lines} is small enough for the compiler to inline): with a table in one
     * chunk (tables under 1 GB), no chunk is looked up per row. {@code RowPassBench} times it.
     */
    private float touch(int[] ids, int from, int n, FloatBuffer st, FloatBuffer w) {
        int sl = stateLength;
        int d = dim;
        float sum = 0;
        for (int r = 0; r < n; r++) {
            int row = ids[from + r];
            sum += lines(st, row * sl, sl, w, row * d, d);
        }
        return sum;
    }

    /** As above, for tables in several chunks. */
    private float touch(int[] ids, int from, int n) {
        float sum = 0;
        for (int r = 0; r < n; r++) {
            int row = ids[from + r];
            sum += lines(state.chunk(row), state.offset(row), stateLength, weights.chunk(row), weights.offset(row),
                    dim);
        }
        return sum;
    }

    /** One value of each cache line of a row's state {@code st[at .. at + sl)} and weights {@code w[wa .. wa + d)}. */
    private static float lines(FloatBuffer st, int at, int sl, FloatBuffer w, int wa, int d) {
        float x = st.get(at) + st.get(at + sl - 1) + w.get(wa) + w.get(wa + d - 1);
        for (int k = LINE_FLOATS; k < sl - 1; k += LINE_FLOATS) {
            x += st.get(at + k);
        }
        for (int k = LINE_FLOATS; k < d - 1; k += LINE_FLOATS) {
            x += w.get(wa + k);
        }
        return x;
    }

    /**
     * Brings one row to dense Adam's state after step {@code until}, in place; nothing to do for a row never
     * updated or one already there.
     */
    private void catchUp(int row, long until) {
        FloatBuffer st = state.chunk(row);
        int at = state.offset(row);
        long last = Float.floatToRawIntBits(st.get(at));
        if (last <= 0 || last >= until) {
            return;
        }
        st.put(at, Float.intBitsToFloat((int) until));
        skipped.take(weights.chunk(row), weights.offset(row), st, at + 1, at + 1 + dim, dim, last, until);
    }

    /**
     * One Adam step on the rows a batch used (gathered for this step by {@link #gather}), in place: each value of
     * a row's weights and state is read and written where it lies, so that two workers updating one row at once
     * (Hogwild) can only lose single values, not the whole row's step.
     *
     * @param ids the batch's row ids, {@code ids[from .. from + n)}
     * @param gradient the loss's gradient with respect to the gathered rows, [n, dim]
     * @param adam step size and bias correction of this step
     */
    void update(int[] ids, int from, int n, float[] gradient, AdamStep adam, Scratch s) {
        s.reserve(n, dim);
        int count = 0;
        for (int r = 0; r < n; r++) {
            int row = ids[from + r];
            int slot = s.slotOf(row, count);
            if (slot < 0) {
                slot = count++;
                s.unique[slot] = row;
                System.arraycopy(gradient, r * dim, s.sum, slot * dim, dim);
            } else {
                int at = slot * dim;
                int g = r * dim;
                for (int j = 0; j < dim; j++) {
                    s.sum[at + j] += gradient[g + j];
                }
            }
        }
        s.clear();
        if (adam.t() > MAX_STEP) {
            throw new IllegalStateException("more than " + MAX_STEP + " optimizer steps: not supported");
        }
        float step = Float.intBitsToFloat((int) adam.t());
        for (int slot = 0; slot < count; slot++) {
            int row = s.unique[slot];
            FloatBuffer st = state.chunk(row);
            int at = state.offset(row);
            if (m0 > 0) {
                catchUp(row, adam.t() - 1); // another worker may have moved it since the gather
                st.put(at, step);
            }
            adam.apply(weights.chunk(row), weights.offset(row), s.sum, slot * dim, st, at + m0, at + m0 + dim, dim);
        }
    }

    /**
     * Catches every row up to step {@code adam.t()} (after the last step of an epoch, before the model is
     * evaluated or saved), so that the weights are dense Adam's. Nothing to do for lazy Adam.
     */
    void catchUpAll(AdamStep adam) {
        if (m0 == 0) {
            return;
        }
        for (int row = 0; row < rows; row++) {
            catchUp(row, adam.t());
        }
    }

    /**
     * Writes the rows' moments (the first moments as one array, then the second) and, with catch-up, the step each
     * row was last updated at: the layout of separate arrays, whatever the layout in memory.
     */
    void writeState(DataOutputStream out) throws IOException {
        float[] mv = new float[2 * dim + m0];
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(dim * Float.BYTES);
        for (int half = 0; half < 2; half++) {
            NamedArrays.header(out, name + (half == 0 ? ".m" : ".v"), (long) rows * dim);
            for (int row = 0; row < rows; row++) {
                state.getRow(row, mv, 0);
                bytes.clear();
                bytes.asFloatBuffer().put(mv, m0 + half * dim, dim);
                out.write(bytes.array());
            }
        }
        if (m0 > 0) {
            NamedArrays.header(out, name + ".last", rows);
            for (int row = 0; row < rows; row++) {
                out.writeLong(Float.floatToRawIntBits(state.get(row, 0)));
            }
        }
    }

    void readState(DataInputStream in) throws IOException {
        float[] mv = new float[2 * dim + m0];
        byte[] bytes = new byte[dim * Float.BYTES];
        for (int half = 0; half < 2; half++) {
            NamedArrays.expect(in, name + (half == 0 ? ".m" : ".v"), (long) rows * dim);
            for (int row = 0; row < rows; row++) {
                in.readFully(bytes);
                state.getRow(row, mv, 0);
                java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(mv, m0 + half * dim, dim);
                state.putRow(row, mv, 0);
            }
        }
        if (m0 > 0) {
            NamedArrays.expect(in, name + ".last", rows);
            for (int row = 0; row < rows; row++) {
                long last = in.readLong();
                if (last < 0 || last > MAX_STEP) {
                    throw new IOException(name + ".last: step " + last + " of row " + row + " is out of range");
                }
                state.getRow(row, mv, 0);
                mv[0] = Float.intBitsToFloat((int) last);
                state.putRow(row, mv, 0);
            }
        }
    }
}
