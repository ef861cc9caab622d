package org.ncf4j.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;

class PretrainingTest {
    private static final int[] LAYERS = {8, 4, 2};

    @Test
    void pretrainedNeumfScoresTheAlphaBlendOfGmfAndMlpLogits() {
        int[] users = {0, 1, 2, 3, 4};
        int[] items = {5, 4, 3, 2, 1};
        try (NcfModel gmf = NcfModel.create(new ModelShape(Variant.GMF, 5, 6, 3, LAYERS), Device.cpu(), 1, 0, 0);
             NcfModel mlp = NcfModel.create(new ModelShape(Variant.MLP, 5, 6, 3, LAYERS), Device.cpu(), 2, 0, 0);
             NcfModel neumf = NcfModel.create(new ModelShape(Variant.NEUMF, 5, 6, 3, LAYERS), Device.cpu(), 3, 0,
                     0)) {
            // give the biases a value so their blend is checked too
            gmf.parameters().get("output_bias").getArray().set(new float[] {0.3f});
            mlp.parameters().get("output_bias").getArray().set(new float[] {-0.7f});
            Pretraining.initialise(neumf, gmf, mlp, 0.25f);
            float[] g = gmf.logits(users, items, 0, 5);
            float[] m = mlp.logits(users, items, 0, 5);
            float[] n = neumf.logits(users, items, 0, 5);
            for (int k = 0; k < 5; k++) {
                assertEquals(0.25f * g[k] + 0.75f * m[k], n[k], 1e-6);
            }
        }
    }

    @Test
    void modelsOfAnotherShapeAreRefused() {
        try (NcfModel gmf = NcfModel.create(new ModelShape(Variant.GMF, 5, 6, 4, LAYERS), Device.cpu(), 1, 0, 0);
             NcfModel mlp = NcfModel.create(new ModelShape(Variant.MLP, 5, 6, 3, LAYERS), Device.cpu(), 2, 0, 0);
             NcfModel neumf = NcfModel.create(new ModelShape(Variant.NEUMF, 5, 6, 3, LAYERS), Device.cpu(), 3, 0,
                     0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Pretraining.initialise(neumf, gmf, mlp, 0.5f));
            assertTrue(e.getMessage().contains("factor 4"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Pretraining.initialise(neumf, mlp, gmf, 0.5f));
        }
    }
}
