package org.ncf4j.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.contract.Variant;
import java.util.Map;

/**
 * Initialises NeuMF from trained GMF and MLP models, as in the paper: embeddings and MLP layers are copied, and
 * the output layer is {@code [alpha * h_GMF ; (1 - alpha) * h_MLP]} with bias
 * {@code alpha * b_GMF + (1 - alpha) * b_MLP}.
 */
public final class Pretraining {
    private Pretraining() {
    }

    public static void initialise(NcfModel neumf, NcfModel gmf, NcfModel mlp, float alpha) {
        ModelShape n = neumf.spec();
        ModelShape g = gmf.spec();
        ModelShape m = mlp.spec();
        require(n.variant() == Variant.NEUMF, "the model to initialise is " + n.variant().label() + ", not neumf");
        require(g.variant() == Variant.GMF, "the pretrained GMF model is a " + g.variant().label() + " model");
        require(m.variant() == Variant.MLP, "the pretrained MLP model is a " + m.variant().label() + " model");
        require(g.numUsers() == n.numUsers() && g.numItems() == n.numItems() && m.numUsers() == n.numUsers()
                && m.numItems() == n.numItems(), "the pretrained models were trained on another dataset ("
                + g.numUsers() + "/" + m.numUsers() + " users and " + g.numItems() + "/" + m.numItems()
                + " items, expected " + n.numUsers() + " and " + n.numItems() + ")");
        require(g.factor() == n.factor(), "the pretrained GMF has factor " + g.factor() + ", NeuMF " + n.factor());
        require(java.util.Arrays.equals(m.layers(), n.layers()), "the pretrained MLP has layers "
                + java.util.Arrays.toString(m.layers()) + ", NeuMF " + java.util.Arrays.toString(n.layers()));
        Map<String, Parameter> to = neumf.parameters();
        Map<String, Parameter> fromGmf = gmf.parameters();
        Map<String, Parameter> fromMlp = mlp.parameters();
        for (Map.Entry<String, Parameter> e : to.entrySet()) {
            String name = e.getKey();
            if (TensorNames.isGmf(name)) {
                copy(fromGmf.get(name), e.getValue());
            } else if (TensorNames.isMlp(name)) {
                copy(fromMlp.get(name), e.getValue());
            }
        }
        float[] hg = fromGmf.get(TensorNames.OUTPUT_WEIGHT).getArray().toFloatArray();
        float[] hm = fromMlp.get(TensorNames.OUTPUT_WEIGHT).getArray().toFloatArray();
        float[] h = new float[hg.length + hm.length];
        for (int i = 0; i < hg.length; i++) {
            h[i] = alpha * hg[i];
        }
        for (int i = 0; i < hm.length; i++) {
            h[hg.length + i] = (1 - alpha) * hm[i];
        }
        float b = alpha * fromGmf.get(TensorNames.OUTPUT_BIAS).getArray().getFloat(0)
                + (1 - alpha) * fromMlp.get(TensorNames.OUTPUT_BIAS).getArray().getFloat(0);
        set(to.get(TensorNames.OUTPUT_WEIGHT), h);
        set(to.get(TensorNames.OUTPUT_BIAS), new float[] {b});
    }

    private static void copy(Parameter from, Parameter to) {
        NDArray source = from.getArray();
        NDArray target = to.getArray();
        if (TensorMemory.supports(source) && TensorMemory.supports(target) && source.size() == target.size()) {
            TensorMemory.of(target).copyFrom(TensorMemory.of(source)); // a block at a time, tables of any size
        } else {
            set(to, source.toFloatArray());
        }
    }

    private static void set(Parameter to, float[] values) {
        NDArray target = to.getArray();
        if (target.size() != values.length) {
            throw new IllegalArgumentException("parameter " + to.getName() + " has " + target.size()
                    + " values, the pretrained one " + values.length);
        }
        target.set(values);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
