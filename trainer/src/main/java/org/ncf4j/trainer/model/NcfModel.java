package org.ncf4j.trainer.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.ncf4j.bundle.FloatSource;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.graph.ModelWeights;
import java.io.IOException;
import org.ncf4j.data.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An NCF model on a device: the DJL {@link Model} holding an {@link NcfBlock}, with batched inference on
 * primitive arrays and saving and loading of its parameters.
 */
public final class NcfModel implements AutoCloseable {
    /** The model's name in DJL, and the file name stem of parameters saved by earlier versions. */
    public static final String NAME = "ncf";
    /** The file of saved parameters. */
    public static final String PARAMETERS = "parameters.bin";

    private final Model model;
    private final NcfBlock block;
    private final ParameterStore store;

    private NcfModel(Model model, NcfBlock block) {
        this.model = model;
        this.block = block;
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    /** A freshly initialised model; the same seed gives the same initial parameters. */
    public static NcfModel create(ModelShape spec, Device device, long seed, float embeddingL2, float layerL2) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        Model model = Model.newInstance(NAME, device, "PyTorch");
        NcfBlock block = new NcfBlock(spec, embeddingL2, layerL2);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, NcfBlock.inputShapes(1));
        return new NcfModel(model, block);
    }

    /**
     * Loads parameters saved by {@link #save} into a model of the given shape; checkpoints saved by earlier versions
     * in DJL's parameter file ({@code ncf-0000.params}) load too.
     *
     * @throws DataException naming the folder when the parameter file is missing, truncated or not this shape's
     */
    public static NcfModel load(ModelShape spec, Device device, Path dir) {
        Path file = dir.resolve(PARAMETERS);
        Model model = Model.newInstance(NAME, device, "PyTorch");
        try {
            if (Files.isRegularFile(file)) {
                NcfBlock block = new NcfBlock(spec, 0f, 0f, false);
                model.setBlock(block);
                block.initialize(model.getNDManager(), DataType.FLOAT32, NcfBlock.inputShapes(1));
                NcfModel loaded = new NcfModel(model, block);
                ParameterFile.read(file, loaded.parameters());
                return loaded;
            }
            NcfBlock block = new NcfBlock(spec);
            model.setBlock(block);
            model.load(dir, NAME);
            return new NcfModel(model, block);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            String why = e instanceof java.io.EOFException ? "the parameter file ends early (truncated)"
                    : e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse(e.getClass().getSimpleName());
            throw new DataException("cannot load the " + spec.variant().label() + " parameters saved in " + dir
                    + ": " + why, e);
        }
    }

    /**
     * Saves the parameters in {@code dir/parameters.bin} ({@link ParameterFile}), each written from the tensor's own
     * memory a block at a time: tables of any size, no copy on the heap.
     */
    public void save(Path dir) throws IOException {
        ParameterFile.write(dir.resolve(PARAMETERS), parameters());
    }

    public ModelShape spec() {
        return block.spec();
    }

    public NcfBlock block() {
        return block;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    ParameterStore store() {
        return store;
    }

    /** The parameters by their stable names, in definition order. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        block.getParameters().forEach(p -> out.put(p.getKey(), p.getValue()));
        return out;
    }

    /**
     * The parameters for export without an ML runtime: the layers as copies in arrays; the embedding tables, of any
     * size, as sources that read this model's own tensors a block at a time while the bundle is written (so the
     * model must stay open until then).
     */
    public ModelWeights weights() {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, FloatSource> tables = new LinkedHashMap<>();
        block.getParameters().forEach(p -> {
            NDArray a = p.getValue().getArray();
            if (!TensorMemory.supports(a)) {
                values.put(p.getKey(), a.toFloatArray());
            } else if (NcfBlock.isEmbedding(p.getKey())) {
                TensorMemory memory = TensorMemory.of(a);
                tables.put(p.getKey(), new FloatSource() {
                    @Override
                    public long size() {
                        return memory.size();
                    }

                    @Override
                    public void read(long from, float[] into, int at, int n) {
                        memory.get(from, into, at, n);
                    }
                });
            } else {
                values.put(p.getKey(), TensorMemory.of(a).toArray());
            }
        });
        return new ModelWeights(spec(), values, tables);
    }

    /**
     * Logits of {@code (users[from + i], items[from + i])} for {@code i < len}, without gradients.
     */
    public float[] logits(int[] users, int[] items, int from, int len) {
        try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray u = sub.create(slice(users, from, len));
            NDArray it = sub.create(slice(items, from, len));
            NDList out = block.forward(store, new NDList(u, it), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    /** Runs the training forward pass, returning logits and, when L2 is set, the penalty. */
    public NDList forwardTraining(NDArray users, NDArray items) {
        return block.forward(store, new NDList(users, items), true);
    }

    private static int[] slice(int[] a, int from, int len) {
        if (from == 0 && len == a.length) {
            return a;
        }
        int[] out = new int[len];
        System.arraycopy(a, from, out, 0, len);
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
