package org.ncf4j.trainer.export;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.contract.Variant;

/** Small models whose parameters are spread widely enough that scores differ clearly between items. */
final class ExportFixtures {
    static final int USERS = 13;
    static final int ITEMS = 37;
    static final int[] LAYERS = {12, 8, 4};

    private ExportFixtures() {
    }

    static NcfModel model(Variant variant, long seed) {
        return model(variant, seed, LAYERS);
    }

    static NcfModel model(Variant variant, long seed, int[] layers) {
        NcfModel model = NcfModel.create(new ModelShape(variant, USERS, ITEMS, 4, layers), Device.cpu(), seed, 0,
                0);
        SplittableRandom r = new SplittableRandom(seed);
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            float[] v = new float[(int) e.getValue().getArray().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.7);
            }
            e.getValue().getArray().set(v);
        }
        return model;
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
