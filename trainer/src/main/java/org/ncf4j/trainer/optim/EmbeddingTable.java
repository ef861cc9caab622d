package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

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
 * <p>The table is the model's own parameter memory (a direct buffer), so saving, evaluation and export see every
 * update. Workers may gather and update concurrently without locks (Hogwild, Recht et al. 2011): two workers that
 * update one row at once can lose one of the two steps, which rows this sparse make rare and harmless.
 */
final class EmbeddingTable {
    /** One worker's buffers for coalescing a batch's gradient by row. */
    static final class Scratch {
        private final int[] slotOfRow;
        private int[] unique = new int[0];
        private float[] sum = new float[0];

        Scratch(EmbeddingTable table) {
            slotOfRow = new int[table.rows];
            Arrays.fill(slotOfRow, -1);
        }
    }

    private final String name;
    private final FloatBuffer weights;
    private final int rows;
    private final int dim;
    private final float[] first;
    private final float[] second;
    /** The step each row was last updated at (0: never), when skipped steps are caught up; else null. */
    private final long[] lastStep;
    private final SkippedSteps skipped;

    /**
     * @param table a contiguous float32 [rows, dim] tensor on the CPU
     * @param skipped how rows take the steps they skipped (dense Adam's result), or null for lazy Adam
     */
    EmbeddingTable(String name, NDArray table, SkippedSteps skipped) {
        this.name = name;
        this.weights = table.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.rows = Math.toIntExact(table.getShape().get(0));
        this.dim = Math.toIntExact(table.getShape().get(1));
        if ((long) rows * dim != weights.capacity()) {
            throw new IllegalArgumentException("embedding " + name + " is not a contiguous [rows, dim] table");
        }
        first = new float[rows * dim];
        second = new float[rows * dim];
        this.skipped = skipped;
        lastStep = skipped != null ? new long[rows] : null;
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
    void gather(int[] ids, int from, int n, float[] out, AdamStep adam) {
        for (int r = 0; r < n; r++) {
            int row = ids[from + r];
            weights.get(row * dim, out, r * dim, dim);
            catchUp(row, out, r * dim, adam.t() - 1);
        }
    }

    /**
     * Brings one row, whose weights are in {@code w[at ..]}, to dense Adam's state after step {@code until}, writing
     * the weights back; nothing to do for lazy Adam, a row never updated, or one already there.
     */
    private void catchUp(int row, float[] w, int at, long until) {
        if (lastStep == null || lastStep[row] <= 0 || lastStep[row] >= until) {
            return;
        }
        int base = row * dim;
        skipped.take(w, at, first, second, base, dim, lastStep[row], until);
        lastStep[row] = until;
        weights.put(base, w, at, dim);
    }

    /**
     * One Adam step on the rows a batch used (gathered for this step by {@link #gather}).
     *
     * @param ids the batch's row ids, {@code ids[from .. from + n)}
     * @param gradient the loss's gradient with respect to the gathered rows, [n, dim]
     * @param adam step size and bias correction of this step
     */
    void update(int[] ids, int from, int n, float[] gradient, AdamStep adam, Scratch s) {
        if (s.unique.length < n) {
            s.unique = new int[n];
            s.sum = new float[n * dim];
        }
        int count = 0;
        for (int r = 0; r < n; r++) {
            int row = ids[from + r];
            int slot = s.slotOfRow[row];
            if (slot < 0) {
                slot = count++;
                s.slotOfRow[row] = slot;
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
        float[] w = new float[dim];
        for (int slot = 0; slot < count; slot++) {
            int row = s.unique[slot];
            s.slotOfRow[row] = -1;
            int base = row * dim;
            weights.get(base, w, 0, dim);
            catchUp(row, w, 0, adam.t() - 1); // another worker may have moved it since the gather
            if (lastStep != null) {
                lastStep[row] = adam.t();
            }
            adam.apply(w, 0, s.sum, slot * dim, first, second, base, dim);
            weights.put(base, w, 0, dim);
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
        for (int row = 0; row < rows; row++) {
            if (lastStep[row] > 0 && lastStep[row] < adam.t()) {
                weights.get(row * dim, w, 0, dim);
                catchUp(row, w, 0, adam.t());
            }
        }
    }

    /** Writes the rows' moments and, with catch-up, the step each row was last updated at. */
    void writeState(DataOutputStream out) throws IOException {
        NamedArrays.write(out, name + ".m", first);
        NamedArrays.write(out, name + ".v", second);
        if (lastStep != null) {
            NamedArrays.write(out, name + ".last", lastStep);
        }
    }

    void readState(DataInputStream in) throws IOException {
        NamedArrays.read(in, name + ".m", first);
        NamedArrays.read(in, name + ".v", second);
        if (lastStep != null) {
            NamedArrays.read(in, name + ".last", lastStep);
        }
    }
}
