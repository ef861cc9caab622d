package org.ncf4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelShapeTest {
    @Test
    void neumfHasEveryParameterInTheContractsOrderWithItsShape() {
        ModelShape s = new ModelShape(Variant.NEUMF, 10, 7, 4, new int[] {16, 8, 4});
        assertEquals(List.of(TensorNames.GMF_USER_EMBEDDING, TensorNames.GMF_ITEM_EMBEDDING,
                TensorNames.MLP_USER_EMBEDDING, TensorNames.MLP_ITEM_EMBEDDING, "mlp_0_weight", "mlp_0_bias",
                "mlp_1_weight", "mlp_1_bias", TensorNames.OUTPUT_WEIGHT, TensorNames.OUTPUT_BIAS),
                List.copyOf(s.parameters().keySet()));
        assertArrayEquals(new long[] {7, 8}, s.parameters().get(TensorNames.MLP_ITEM_EMBEDDING));
        assertArrayEquals(new long[] {4, 8}, s.parameters().get(TensorNames.mlpWeight(1)));
        assertArrayEquals(new long[] {1, 8}, s.parameters().get(TensorNames.OUTPUT_WEIGHT));
    }

    @Test
    void theRankingConstantsPutItemsOnTheLastAxis() {
        ModelShape s = new ModelShape(Variant.NEUMF, 10, 7, 4, new int[] {16, 8, 4});
        assertEquals(List.of(TensorNames.GMF_USER_EMBEDDING, TensorNames.GMF_ITEM_SIDE,
                TensorNames.MLP_USER_EMBEDDING, TensorNames.MLP_0_USER_WEIGHT, TensorNames.MLP_0_ITEM_SIDE,
                "mlp_1_weight", "mlp_1_bias_column", TensorNames.MLP_OUTPUT_WEIGHT, TensorNames.OUTPUT_BIAS),
                List.copyOf(s.rankingConstants().keySet()));
        assertArrayEquals(new long[] {4, 7}, s.rankingConstants().get(TensorNames.GMF_ITEM_SIDE));
        assertArrayEquals(new long[] {8, 7}, s.rankingConstants().get(TensorNames.MLP_0_ITEM_SIDE));
        assertArrayEquals(new long[] {4, 1}, s.rankingConstants().get(TensorNames.mlpBiasColumn(1)));
    }

    @Test
    void anMlpWithoutHiddenLayersRanksByAUserAndAnItemTerm() {
        ModelShape s = new ModelShape(Variant.MLP, 10, 7, 0, new int[] {6});
        assertEquals(List.of(TensorNames.MLP_USER_EMBEDDING, TensorNames.MLP_USER_OUTPUT_WEIGHT,
                TensorNames.MLP_ITEM_SIDE, TensorNames.OUTPUT_BIAS), List.copyOf(s.rankingConstants().keySet()));
        assertArrayEquals(new long[] {3, 1}, s.rankingConstants().get(TensorNames.MLP_USER_OUTPUT_WEIGHT));
    }

    @Test
    void namesSayWhichPartAParameterBelongsTo() {
        assertTrue(TensorNames.isEmbedding(TensorNames.MLP_ITEM_EMBEDDING));
        assertFalse(TensorNames.isEmbedding(TensorNames.mlpWeight(0)));
        assertTrue(TensorNames.isGmf(TensorNames.GMF_USER_EMBEDDING));
        assertTrue(TensorNames.isMlp(TensorNames.mlpBias(2)));
        assertTrue(TensorNames.isOutput(TensorNames.OUTPUT_BIAS));
        assertFalse(TensorNames.isOutput(TensorNames.MLP_OUTPUT_WEIGHT));
    }

    @Test
    void shapesThatDescribeNoModelAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(Variant.MLP, 10, 7, 0, new int[] {7}));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(Variant.GMF, 10, 7, 0, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(Variant.NEUMF, 0, 7, 2, new int[] {4}));
    }
}
