package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.trainer.model.NcfBlock;
import org.ncf4j.trainer.model.NcfModel;

/**
 * One training worker of {@link SparseTrainer}: its batch, its buffers and its step. A step gathers the batch's
 * embedding rows into small tensors, runs the model and its backward pass on them, and updates those rows and the
 * layers. The step is a method of its own, called once per batch, so that the JIT compiles it early in the first
 * epoch as it would any hot method; inside the worker's loop it was compiled only on the loop's back edges, late
 * and more than once, and that compilation took a core from the training threads in the second epoch too.
 */
final class TrainingWorker implements AutoCloseable {
    private final NcfModel model;
    private final EmbeddingTable[] tables;
    private final boolean[] frozenTables;
    private final CpuAdam denseAdam;
    private final int batchSize;
    private final NDManager manager;
    /** The layers' tensors as this worker sees them: the weights' memory, with gradients of its own. */
    private final List<NDArray> leaves = new ArrayList<>();
    private final Map<Parameter, NDArray> byParameter = new IdentityHashMap<>();
    private final EmbeddingTable.Scratch[] scratch;
    private final float[][] gathered;
    private final int[] users;
    private final int[] items;
    private final float[] signs;

    /** Must be made on the thread that runs it: PyTorch's gradient mode and thread count are set per thread. */
    TrainingWorker(NcfModel model, EmbeddingTable[] tables, boolean[] frozenTables, List<Parameter> dense,
                   List<Parameter> frozen, CpuAdam denseAdam, int batchSize) {
        this.model = model;
        this.tables = tables;
        this.frozenTables = frozenTables;
        this.denseAdam = denseAdam;
        this.batchSize = batchSize;
        this.manager = model.manager().newSubManager();
        for (Parameter p : dense) {
            NDArray leaf = p.getArray().stopGradient(); // shares the weight's memory, own gradient
            leaf.attach(manager);
            leaf.setRequiresGradient(true);
            leaves.add(leaf);
            byParameter.put(p, leaf);
        }
        for (Parameter p : frozen) {
            NDArray leaf = p.getArray().stopGradient();
            leaf.attach(manager);
            byParameter.put(p, leaf);
        }
        scratch = new EmbeddingTable.Scratch[tables.length];
        gathered = new float[tables.length][];
        for (int t = 0; t < tables.length; t++) {
            if (tables[t] != null) {
                scratch[t] = new EmbeddingTable.Scratch();
                gathered[t] = new float[batchSize * tables[t].dim()];
            }
        }
        users = new int[batchSize];
        items = new int[batchSize];
        signs = new float[batchSize];
    }

    /** Takes the next batch of {@code block} into this worker's batch; returns its size, 0 when the block is done. */
    int fill(BlockSchedule.Block block) {
        return block.fill(users, items, signs);
    }

    /**
     * One step on the batch's first {@code n} examples, Adam's step {@code adam}; returns the batch's mean loss.
     *
     * @param number the step's number in the epoch, for the message if the loss is not finite
     */
    float step(int n, AdamStep adam, long number) {
        try (NDManager step = manager.newSubManager()) {
            NDArray[] rows = new NDArray[tables.length];
            for (int k = 0; k < tables.length; k++) {
                if (tables[k] == null) {
                    continue;
                }
                int dim = tables[k].dim();
                tables[k].gather(k % 2 == 0 ? users : items, 0, n, gathered[k], adam, scratch[k]);
                float[] data = n == batchSize ? gathered[k] : Arrays.copyOf(gathered[k], n * dim);
                rows[k] = step.create(data, new Shape(n, dim));
                rows[k].setRequiresGradient(!frozenTables[k]);
            }
            NDArray sign = step.create(n == batchSize ? signs : Arrays.copyOf(signs, n));
            NDList out = model.block().forward(new NcfBlock.Rows(rows[0], rows[1], rows[2], rows[3]),
                    byParameter::get, true);
            NDArray loss = out.get(0).mul(sign).getNDArrayInternal().softPlus().mean();
            NDArray objective = out.size() > 1 ? loss.add(out.get(1)) : loss;
            JniUtils.backward((PtNDArray) objective, (PtNDArray) step.ones(objective.getShape()), false, false);
            float value = loss.getFloat();
            if (!Float.isFinite(value)) {
                throw new IllegalStateException(String.format("training diverged at step %d: the loss is %s; try a "
                        + "lower --lr", number, value));
            }
            for (int k = 0; k < tables.length; k++) {
                if (tables[k] != null && !frozenTables[k]) {
                    try (NDArray g = rows[k].getGradient()) {
                        tables[k].update(k % 2 == 0 ? users : items, 0, n, g.toFloatArray(), adam, scratch[k]);
                    }
                }
            }
            denseAdam.step(leaves, adam.t());
            return value;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
