package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
 * see every update. The moments live outside the JVM's heap too, in a tensor of their own whose row holds the
 * row's first moments and then its second ones ([rows, 2 dim]): a step reads and writes each row's optimizer state
 * at one place, which matters once the tables outgrow the caches (one cache miss per row where separate moment
 * arrays took two). Workers may gather and update concurrently without locks (Hogwild, Recht et al. 2011): two
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
        private float[] row = new float[0];
        private float[] moments = new float[0];

        Scratch(EmbeddingTable table) {
            row = new float[table.dim];
            moments = new float[2 * table.dim];
        }

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

    private final String name;
    private final TensorMemory weights;
    private final int rows;
    private final int dim;
    /** [rows, 2 dim]: a row's first moments, then its second moments. */
    private final TensorMemory moments;
    /** The step each row was last updated at (0: never), when skipped steps are caught up; else null. */
    private final long[] lastStep;
    private final SkippedSteps skipped;

    /**
     * @param table a contiguous float32 [rows, dim] tensor on the CPU
     * @param state where the moments are allocated (closed with the optimizer)
     * @param skipped how rows take the steps they skipped (dense Adam's result), or null for lazy Adam
     */
    EmbeddingTable(String name, NDArray table, NDManager state, SkippedSteps skipped) {
        this.name = name;
        this.weights = TensorMemory.of(table);
        this.rows = Math.toIntExact(weights.rows());
        this.dim = weights.rowLength();
        if (table.getShape().dimension() != 2) {
            throw new IllegalArgumentException("embedding " + name + " is not a [rows, dim] table");
        }
        this.moments = TensorMemory.of(state.zeros(new Shape(rows, 2L * dim)));
        this.skipped = skipped;
        lastStep = skipped != null ? new long[rows] : null;
    }

    /** Bytes of optimizer state per row of a table of {@code dim} values (moments and the last step). */
    static long stateBytesPerRow(int dim, boolean catchUp) {
        return 2L * dim * Float.BYTES + (catchUp ? Long.BYTES : 0);
    }

    String name() {
        return name;
    }

    int dim() {
        return dim;
    }

    /**
     * Copies rows {@code ids[from .. from + n)} into {@code out} ([n, dim], row-major), as they are before step
     * {@code adam.t()}: with catch-up, a row first takes the steps it skipped, so that the batch computes with the
     * weights dense Adam would have.
     */
    void gather(int[] ids, int from, int n, float[] out, AdamStep adam, Scratch s) {
        for (int r = 0; r < n; r++) {
            int row = ids[from + r];
            weights.getRow(row, out, r * dim);
            catchUp(row, out, r * dim, adam.t() - 1, s.moments);
        }
    }

    /**
     * Brings one row, whose weights are in {@code w[at ..]}, to dense Adam's state after step {@code until}, writing
     * the weights and moments back; nothing to do for lazy Adam, a row never updated, or one already there.
     * {@code mv} is scratch space of 2 dim values.
     */
    private void catchUp(int row, float[] w, int at, long until, float[] mv) {
        if (lastStep == null || lastStep[row] <= 0 || lastStep[row] >= until) {
            return;
        }
        moments.getRow(row, mv, 0);
        skipped.take(w, at, mv, 0, mv, dim, dim, lastStep[row], until);
        lastStep[row] = until;
        moments.putRow(row, mv, 0);
        weights.putRow(row, w, at);
    }

    /**
     * One Adam step on the rows a batch used (gathered for this step by {@link #gather}).
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
        float[] w = s.row;
        float[] mv = s.moments;
        for (int slot = 0; slot < count; slot++) {
            int row = s.unique[slot];
            weights.getRow(row, w, 0);
            catchUp(row, w, 0, adam.t() - 1, mv); // another worker may have moved it since the gather
            if (lastStep != null) {
                lastStep[row] = adam.t();
            }
            moments.getRow(row, mv, 0);
            adam.apply(w, 0, s.sum, slot * dim, mv, 0, mv, dim, dim);
            moments.putRow(row, mv, 0);
            weights.putRow(row, w, 0);
        }
    }

    /**
     * Catches every row up to step {@code adam.t()} (after the last step of an epoch, before the model is
     * evaluated or saved), so that the weights are dense Adam's. Nothing to do for lazy Adam.
     */
    void catchUpAll(AdamStep adam) {
        if (lastStep == null) {
            return;
        }
        float[] w = new float[dim];
        float[] mv = new float[2 * dim];
        for (int row = 0; row < rows; row++) {
            if (lastStep[row] > 0 && lastStep[row] < adam.t()) {
                weights.getRow(row, w, 0);
                catchUp(row, w, 0, adam.t(), mv);
            }
        }
    }

    /**
     * Writes the rows' moments (the first moments as one array, then the second) and, with catch-up, the step each
     * row was last updated at.
     */
    void writeState(DataOutputStream out) throws IOException {
        for (int half = 0; half < 2; half++) {
            NamedArrays.header(out, name + (half == 0 ? ".m" : ".v"), (long) rows * dim);
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(dim * Float.BYTES);
            float[] mv = new float[2 * dim];
            for (int row = 0; row < rows; row++) {
                moments.getRow(row, mv, 0);
                bytes.clear();
                bytes.asFloatBuffer().put(mv, half * dim, dim);
                out.write(bytes.array());
            }
        }
        if (lastStep != null) {
            NamedArrays.write(out, name + ".last", lastStep);
        }
    }

    void readState(DataInputStream in) throws IOException {
        for (int half = 0; half < 2; half++) {
            NamedArrays.expect(in, name + (half == 0 ? ".m" : ".v"), (long) rows * dim);
            byte[] bytes = new byte[dim * Float.BYTES];
            float[] mv = new float[2 * dim];
            for (int row = 0; row < rows; row++) {
                in.readFully(bytes);
                moments.getRow(row, mv, 0);
                java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(mv, half * dim, dim);
                moments.putRow(row, mv, 0);
            }
        }
        if (lastStep != null) {
            NamedArrays.read(in, name + ".last", lastStep);
        }
    }
}
