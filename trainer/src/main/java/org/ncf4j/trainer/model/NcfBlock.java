package org.ncf4j.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * GMF, MLP or NeuMF as one DJL block: {@code (users [N], items [N]) -> logits [N]}.
 *
 * <p>Parameters carry the stable names and shapes of {@link ModelShape#parameters}, which the exporter and
 * pretraining read: {@code gmf_user_embedding},
 * {@code gmf_item_embedding}, {@code mlp_user_embedding}, {@code mlp_item_embedding}, {@code mlp_<k>_weight}
 * and {@code mlp_<k>_bias} (layer k maps {@code layers[k]} to {@code layers[k + 1]}, weights stored
 * [out, in]), {@code output_weight} [1, predictive factors] and {@code output_bias} [1]. Embeddings start from
 * N(0, 0.01), linear weights from Xavier (uniform), biases from zero. The block returns logits; the sigmoid
 * belongs to the loss in training and to the exported serving graph.
 *
 * <p>In training, when an L2 weight is set, the block also returns the penalty as a second (scalar) output:
 * {@code embeddingL2} times the mean squared norm of the batch's embeddings, plus {@code layerL2} times the
 * squared norm of the layer weights.
 */
public final class NcfBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final ModelShape spec;
    private final float embeddingL2;
    private final float layerL2;
    private Parameter gmfUser;
    private Parameter gmfItem;
    private Parameter mlpUser;
    private Parameter mlpItem;
    private final List<Parameter> mlpWeights = new ArrayList<>();
    private final List<Parameter> mlpBiases = new ArrayList<>();
    private final Parameter outWeight;
    private final Parameter outBias;

    public NcfBlock(ModelShape spec) {
        this(spec, 0f, 0f);
    }

    /**
     * @param spec the model's shape
     * @param embeddingL2 L2 weight of the batch's embeddings (0 for none)
     * @param layerL2 L2 weight of the linear layers' weights (0 for none)
     */
    public NcfBlock(ModelShape spec, float embeddingL2, float layerL2) {
        this(spec, embeddingL2, layerL2, true);
    }

    /**
     * As above; {@code random} false initialises every parameter to zero (for parameters about to be read from a
     * file: a random table of gigabytes takes seconds to draw).
     */
    NcfBlock(ModelShape spec, float embeddingL2, float layerL2, boolean random) {
        super(VERSION);
        this.spec = spec;
        this.embeddingL2 = embeddingL2;
        this.layerL2 = layerL2;
        Initializer embInit = random ? new NormalInitializer(0.01f) : Initializer.ZEROS;
        // magnitude 3 with the average fan gives the usual bound sqrt(6 / (fanIn + fanOut))
        Initializer xavier = random ? new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.AVG, 3) : Initializer.ZEROS;
        if (spec.variant().hasGmf()) {
            gmfUser = param(TensorNames.GMF_USER_EMBEDDING, Parameter.Type.WEIGHT, embInit);
            gmfItem = param(TensorNames.GMF_ITEM_EMBEDDING, Parameter.Type.WEIGHT, embInit);
        }
        if (spec.variant().hasMlp()) {
            mlpUser = param(TensorNames.MLP_USER_EMBEDDING, Parameter.Type.WEIGHT, embInit);
            mlpItem = param(TensorNames.MLP_ITEM_EMBEDDING, Parameter.Type.WEIGHT, embInit);
            for (int k = 0; k + 1 < spec.layers().length; k++) {
                mlpWeights.add(param(TensorNames.mlpWeight(k), Parameter.Type.WEIGHT, xavier));
                mlpBiases.add(param(TensorNames.mlpBias(k), Parameter.Type.BIAS, Initializer.ZEROS));
            }
        }
        outWeight = param(TensorNames.OUTPUT_WEIGHT, Parameter.Type.WEIGHT, xavier);
        outBias = param(TensorNames.OUTPUT_BIAS, Parameter.Type.BIAS, Initializer.ZEROS);
        if (getParameters().size() != spec.parameters().size()) {
            throw new IllegalStateException("the block's parameters " + getParameters().keys() + " differ from "
                    + spec.parameters().keySet());
        }
    }

    /** A parameter with the shape {@link ModelShape#parameters} gives it. */
    private Parameter param(String name, Parameter.Type type, Initializer init) {
        long[] shape = spec.parameters().get(name);
        if (shape == null) {
            throw new IllegalStateException("the " + spec + " model has no parameter " + name);
        }
        return addParameter(Parameter.builder().setName(name).setType(type).optInitializer(init)
                .optShape(new Shape(shape)).build());
    }

    public ModelShape spec() {
        return spec;
    }

    /**
     * A batch's embedding rows, each [N, dim]; null for the tables a variant does not have. In training they are
     * the leaves gradients flow to, gathered from the tables by the caller, so that no step touches a whole table.
     */
    public record Rows(NDArray gmfUser, NDArray gmfItem, NDArray mlpUser, NDArray mlpItem) {
    }

    /** Whether a parameter is an embedding table (one row per user or item), by its stable name. */
    public static boolean isEmbedding(String name) {
        return TensorNames.isEmbedding(name);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray users = inputs.get(0);
        NDArray items = inputs.get(1);
        Rows rows = new Rows(lookup(ps, gmfUser, users, training), lookup(ps, gmfItem, items, training),
                lookup(ps, mlpUser, users, training), lookup(ps, mlpItem, items, training));
        return forward(rows, p -> ps.getValue(p, users.getDevice(), training), training);
    }

    /**
     * The model on embedding rows already gathered: logits [N] and, in training with an L2 weight, the penalty.
     *
     * @param rows the batch's embedding rows
     * @param dense the value of each dense parameter (layer weights and biases) to compute with
     * @param training whether to add the L2 penalty
     */
    public NDList forward(Rows rows, Function<Parameter, NDArray> dense, boolean training) {
        NDArray any = rows.gmfUser() != null ? rows.gmfUser() : rows.mlpUser();
        long n = any.getShape().get(0);
        NDArray gmf = null;
        NDArray mlp = null;
        NDArray embSquares = null;
        boolean penalise = training && embeddingL2 > 0;
        if (spec.variant().hasGmf()) {
            NDArray pu = rows.gmfUser();
            NDArray qi = rows.gmfItem();
            gmf = pu.mul(qi);
            if (penalise) {
                embSquares = pu.square().sum().add(qi.square().sum());
            }
        }
        if (spec.variant().hasMlp()) {
            NDArray x = rows.mlpUser().concat(rows.mlpItem(), 1);
            if (penalise) {
                NDArray sq = x.square().sum();
                embSquares = embSquares == null ? sq : embSquares.add(sq);
            }
            for (int k = 0; k < mlpWeights.size(); k++) {
                x = linear(x, dense.apply(mlpWeights.get(k)), dense.apply(mlpBiases.get(k)));
                x = x.getNDArrayInternal().relu();
            }
            mlp = x;
        }
        NDArray features = gmf == null ? mlp : mlp == null ? gmf : gmf.concat(mlp, 1);
        NDArray logits = linear(features, dense.apply(outWeight), dense.apply(outBias)).reshape(-1);
        if (!training || (embeddingL2 <= 0 && layerL2 <= 0)) {
            return new NDList(logits);
        }
        // Scale factors are tensors of the batch's scope, not NDArray.mul(Number): DJL frees that scalar right after
        // the multiplication, but autograd keeps a pointer to it for the backward pass (a use-after-free that made
        // L2 runs nondeterministic and, after some epochs, NaN).
        NDManager batch = any.getManager();
        NDArray penalty = null;
        if (embSquares != null) {
            penalty = embSquares.mul(batch.create(embeddingL2 / n));
        }
        if (layerL2 > 0) {
            NDArray weight = batch.create(layerL2);
            List<Parameter> weights = new ArrayList<>(mlpWeights);
            weights.add(outWeight);
            for (Parameter w : weights) {
                // temporaries of a weight would belong to the model's scope: keep them in the batch's
                NDArray sq = dense.apply(w).square();
                sq.attach(batch);
                NDArray term = sq.sum().mul(weight);
                penalty = penalty == null ? term : penalty.add(term);
            }
        }
        return new NDList(logits, penalty);
    }

    private static NDArray lookup(ParameterStore ps, Parameter table, NDArray ids, boolean training) {
        if (table == null) {
            return null;
        }
        NDArray weight = ps.getValue(table, ids.getDevice(), training);
        return ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }

    /** Input shapes for {@link #initialize}: two id vectors of length {@code batch}. */
    public static Shape[] inputShapes(long batch) {
        return new Shape[] {new Shape(batch), new Shape(batch)};
    }

    /** The data type of the id inputs. */
    public static DataType idType() {
        return DataType.INT32;
    }

    @Override
    public String toString() {
        return "NcfBlock(" + spec + ")";
    }

}
