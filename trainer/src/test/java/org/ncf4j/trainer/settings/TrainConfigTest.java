package org.ncf4j.trainer.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.contract.Variant;

class TrainConfigTest {

    @Test
    void theBuildersDefaultsAreThePapersSettingsForNeumf() {
        TrainConfig c = TrainConfig.builder().build();
        assertEquals(Variant.NEUMF, c.variant());
        assertEquals(8, c.factor());
        assertArrayEquals(new int[] {64, 32, 16, 8}, c.layers());
        assertEquals(20, c.epochs());
        assertEquals(256, c.batchSize());
        assertEquals(0.001f, c.learningRate());
        assertEquals(OptimizerKind.ADAM, c.optimizer());
        assertEquals(4, c.negatives());
        assertEquals(0f, c.embeddingL2());
        assertEquals(0f, c.layerL2());
        assertEquals(1L, c.seed());
        assertEquals(10, c.topK());
        assertTrue(c.fullRanking());
        assertEquals(1, c.threads());
        assertNull(c.pretrainedGmf());
        assertNull(c.pretrainedMlp());
        assertEquals(0.5f, c.alpha());
        assertEquals(FineTune.ALL, c.fineTune());
        assertEquals(0, c.averageFrom());
        assertFalse(c.pretrained());
    }

    @Test
    void theMlpDefaultsToThePapersTowerOfTheFactor() {
        assertArrayEquals(new int[] {128, 64, 32, 16}, TrainConfig.builder().optFactor(16).build().layers());
        assertArrayEquals(new int[] {16, 8}, TrainConfig.builder().optFactor(16).optLayers(16, 8).build().layers());
    }

    /** Each rule once, with the message the command prints (exit code 2). */
    @Test
    void valuesOutOfRangeOrThatClashAreRefusedSayingWhy() {
        Path dir = Path.of("runs");
        Map<String, UnaryOperator<TrainConfig.Builder>> refused = Map.ofEntries(
                Map.entry("epochs must be >= 1, got 0", b -> b.optEpochs(0)),
                Map.entry("batch size must be >= 1, got 0", b -> b.optBatchSize(0)),
                Map.entry("learning rate must be > 0, got 0.0", b -> b.optLearningRate(0)),
                Map.entry("negatives must be >= 0, got -1", b -> b.optNegatives(-1)),
                Map.entry("L2 weights must be >= 0", b -> b.optLayerL2(-0.1f)),
                Map.entry("threads must be >= 1, got 0", b -> b.optThreads(0)),
                Map.entry("--threads 2 needs --optimizer adam or lazy-adam (sgd trains with one thread)",
                        b -> b.optThreads(2).optOptimizer(OptimizerKind.SGD)),
                Map.entry("top-k must be >= 1, got 0", b -> b.optTopK(0)),
                Map.entry("pretraining needs both a GMF and an MLP model", b -> b.optPretrainedGmf(dir)),
                Map.entry("pretrained GMF and MLP models initialise NeuMF only", b -> b.optVariant(Variant.MLP)
                        .optPretrainedGmf(dir).optPretrainedMlp(dir)),
                Map.entry("--fine-tune output trains the output layer of a NeuMF initialised from GMF and MLP: give "
                        + "--pretrained-gmf and --pretrained-mlp", b -> b.optFineTune(FineTune.OUTPUT)),
                Map.entry("alpha must be in [0, 1], got 1.5", b -> b.optAlpha(1.5f)),
                Map.entry("--average-from must be >= 0 (0: no averaging), got -1", b -> b.optAverageFrom(-1)),
                Map.entry("--average-from 21 is after the last epoch (--epochs 20): no epoch would be averaged",
                        b -> b.optAverageFrom(21)),
                Map.entry("factor must be >= 1, got 0", b -> b.optFactor(0)));
        refused.forEach((message, change) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> change.apply(TrainConfig.builder()).build(), message);
            assertEquals(message, e.getMessage());
        });
        assertEquals(2, TrainConfig.builder().optThreads(2).optOptimizer(OptimizerKind.LAZY_ADAM).build().threads());
    }

    @Test
    void theOptimizerAndTheFineTuningAreParsedFromTheWordsUsersType() {
        for (OptimizerKind o : OptimizerKind.values()) {
            assertEquals(o, OptimizerKind.parse(o.word()));
            assertEquals(o.word(), o.toString());
        }
        assertEquals(java.util.List.of("adam", "lazy-adam", "dense-adam", "sgd"), java.util.Arrays.stream(
                OptimizerKind.values()).map(OptimizerKind::word).toList());
        assertEquals("unknown optimizer 'adamw', expected one of adam, lazy-adam, dense-adam, sgd",
                assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse("adamw")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse("Adam"), "as typed, as before");
        assertEquals(FineTune.ALL, FineTune.parse("all"));
        assertEquals(FineTune.OUTPUT, FineTune.parse("output"));
        assertEquals("unknown fine-tuning 'some', expected all or output",
                assertThrows(IllegalArgumentException.class, () -> FineTune.parse("some")).getMessage());
    }

    @Test
    void withTheOutputFineTuningOnlyTheOutputLayerTrains() {
        Path dir = Path.of("runs");
        TrainConfig output = TrainConfig.builder().optPretrainedGmf(dir).optPretrainedMlp(dir)
                .optFineTune(FineTune.OUTPUT).build();
        assertTrue(output.trains(TensorNames.OUTPUT_WEIGHT));
        assertFalse(output.trains(TensorNames.GMF_USER_EMBEDDING));
        assertTrue(TrainConfig.builder().build().trains(TensorNames.GMF_USER_EMBEDDING));
    }

    @Test
    void theModelAveragedFromAnEpochOnIsTheMean() {
        TrainConfig c = TrainConfig.builder().optEpochs(4).optAverageFrom(2).build();
        assertFalse(c.averages(1));
        assertTrue(c.averages(2) && c.averages(4));
        assertFalse(TrainConfig.builder().build().averages(20), "0 averages nothing");
    }
}
