package org.ncf4j.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;

class NcfBlockTest {
    private static final int[] LAYERS = {16, 8, 4};

    private static Map<String, Shape> shapes(NcfModel model) {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            out.put(e.getKey(), e.getValue().getArray().getShape());
        }
        return out;
    }

    @Test
    void gmfHasEmbeddingsOfTheFactorAndAnOutputLayer() {
        try (NcfModel m = NcfModel.create(new ModelShape(Variant.GMF, 7, 5, 3, LAYERS), Device.cpu(), 1, 0, 0)) {
            assertEquals(Map.of("gmf_user_embedding", new Shape(7, 3), "gmf_item_embedding", new Shape(5, 3),
                    "output_weight", new Shape(1, 3), "output_bias", new Shape(1)), shapes(m));
        }
    }

    @Test
    void mlpHasHalfWidthEmbeddingsAndOneLinearLayerPerPairOfSizes() {
        try (NcfModel m = NcfModel.create(new ModelShape(Variant.MLP, 7, 5, 3, LAYERS), Device.cpu(), 1, 0, 0)) {
            Map<String, Shape> s = shapes(m);
            assertEquals(List.of("mlp_user_embedding", "mlp_item_embedding", "mlp_0_weight", "mlp_0_bias",
                    "mlp_1_weight", "mlp_1_bias", "output_weight", "output_bias"), List.copyOf(s.keySet()));
            assertEquals(new Shape(7, 8), s.get("mlp_user_embedding"));
            assertEquals(new Shape(8, 16), s.get("mlp_0_weight"));
            assertEquals(new Shape(4, 8), s.get("mlp_1_weight"));
            assertEquals(new Shape(1, 4), s.get("output_weight"));
        }
    }

    @Test
    void neumfOutputReadsGmfAndMlpSideBySide() {
        try (NcfModel m = NcfModel.create(new ModelShape(Variant.NEUMF, 7, 5, 3, LAYERS), Device.cpu(), 1, 0, 0)) {
            Map<String, Shape> s = shapes(m);
            assertEquals(new Shape(1, 3 + 4), s.get("output_weight"));
            assertEquals(10, s.size());
        }
    }

    @Test
    void forwardGivesOneLogitPerPair() {
        for (Variant v : Variant.values()) {
            try (NcfModel m = NcfModel.create(new ModelShape(v, 7, 5, 3, LAYERS), Device.cpu(), 1, 0, 0)) {
                float[] logits = m.logits(new int[] {0, 6, 3, 3}, new int[] {4, 0, 2, 2}, 0, 4);
                assertEquals(4, logits.length);
                assertEquals(logits[2], logits[3]);
                NDManager manager = m.manager();
                NDArray u = manager.create(new int[] {1, 2});
                NDArray i = manager.create(new int[] {1, 2});
                NDList out = m.forwardTraining(u, i);
                assertEquals(new Shape(2), out.get(0).getShape());
            }
        }
    }

    @Test
    void trainingForwardAddsAPenaltyOnlyWhenL2IsSet() {
        try (NcfModel m = NcfModel.create(new ModelShape(Variant.NEUMF, 7, 5, 3, LAYERS), Device.cpu(), 1, 0.1f,
                0.01f)) {
            NDList out = m.forwardTraining(m.manager().create(new int[] {1}), m.manager().create(new int[] {2}));
            assertEquals(2, out.size());
            assertEquals(new Shape(), out.get(1).getShape());
        }
    }

    @Test
    void sameSeedGivesSameInitialParameters() {
        ModelShape spec = new ModelShape(Variant.NEUMF, 7, 5, 3, LAYERS);
        try (NcfModel a = NcfModel.create(spec, Device.cpu(), 5, 0, 0);
             NcfModel b = NcfModel.create(spec, Device.cpu(), 5, 0, 0)) {
            for (String name : a.parameters().keySet()) {
                assertArrayEquals(a.parameters().get(name).getArray().toFloatArray(),
                        b.parameters().get(name).getArray().toFloatArray(), name);
            }
        }
    }

    @Test
    void embeddingsStartNearZeroWithStandardDeviationOneHundredth() {
        try (NcfModel m = NcfModel.create(new ModelShape(Variant.GMF, 2000, 10, 8, LAYERS), Device.cpu(), 1, 0, 0)) {
            float[] w = m.parameters().get("gmf_user_embedding").getArray().toFloatArray();
            double sum = 0;
            double sq = 0;
            for (float x : w) {
                sum += x;
                sq += x * x;
            }
            double mean = sum / w.length;
            double sd = Math.sqrt(sq / w.length - mean * mean);
            assertEquals(0, mean, 0.001);
            assertEquals(0.01, sd, 0.001);
        }
    }

    @Test
    void savedModelLoadsWithTheSameScores(@TempDir Path dir) throws Exception {
        ModelShape spec = new ModelShape(Variant.NEUMF, 7, 5, 3, LAYERS);
        int[] users = {0, 1, 2, 6};
        int[] items = {4, 3, 0, 1};
        try (NcfModel m = NcfModel.create(spec, Device.cpu(), 3, 0, 0)) {
            SavedModel.save(m, dir, null);
            try (NcfModel loaded = SavedModel.load(dir, Device.cpu())) {
                assertEquals(spec, loaded.spec());
                assertArrayEquals(m.logits(users, items, 0, 4), loaded.logits(users, items, 0, 4));
            }
        }
    }

    @Test
    void invalidShapesAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(Variant.MLP, 5, 5, 8, new int[] {15, 8}));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(Variant.GMF, 5, 5, 0, LAYERS));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(Variant.NEUMF, 0, 5, 8, LAYERS));
        assertThrows(IllegalArgumentException.class, () -> Variant.parse("svd"));
    }
}
