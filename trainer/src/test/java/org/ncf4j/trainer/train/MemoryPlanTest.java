package org.ncf4j.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.MachineMemory;
import org.ncf4j.trainer.settings.OptimizerKind;
import org.ncf4j.trainer.settings.TrainConfig;

/** What a run will hold, from the shape alone, and the one-line refusal of a run that cannot fit. */
class MemoryPlanTest {
    private static final long GB = 1_000_000_000L;

    private static TrainConfig.Builder config() {
        return TrainConfig.builder().optVariant(Variant.GMF).optFactor(8);
    }

    @Test
    void theIssuesTenMillionUserNeumfIsAboutElevenGigabytesOutsideTheHeap() {
        ModelShape shape = new ModelShape(Variant.NEUMF, 10_000_000, 1_000_000, 16, new int[] {128, 64, 32, 16});
        MemoryPlan plan = MemoryPlan.of(shape, TrainConfig.builder().optVariant(Variant.NEUMF).optFactor(16)
                .optLayers(new int[] {128, 64, 32, 16}).build(), 50_000_000, true);
        // 11 M rows of 16 + 64 floats: 3.52 GB of parameters, twice that in moments, 4 bytes per row for its step
        assertEquals(3_520_000_000L, plan.parameterBytes(), 1_000_000);
        assertEquals(2 * 3_520_000_000L + 22_000_000 * 4L, plan.optimizerBytes(), 1_000_000);
        assertEquals(50_000_000L * 5 * 12, plan.examplesBytes());
        // two workers put each epoch's examples in the order of their blocks chunk by chunk: no memory per example
        assertEquals(50_000_000L * 5 * 12, MemoryPlan.of(shape, TrainConfig.builder().optVariant(Variant.NEUMF)
                .optFactor(16).optLayers(new int[] {128, 64, 32, 16}).optThreads(2).build(), 50_000_000, true)
                .examplesBytes());
        assertTrue(plan.describe(6 * GB).startsWith("memory: 10.6 GB outside the heap"), plan.describe(6 * GB));
        MachineMemory roomy = new MachineMemory(20 * GB, 24 * GB, "the machine's available memory", GB);
        assertNull(plan.refusal(Optional.of(roomy), 8 * GB, 2 * GB, 3 * GB));
    }

    @Test
    void aModelTooLargeIsRefusedInOneLineNamingWhatItNeedsAndTheFlags() {
        ModelShape shape = new ModelShape(Variant.GMF, 7_000_000, 100_000, 256, new int[0]);
        MemoryPlan plan = MemoryPlan.of(shape, config().optFactor(256).optAverageFrom(3).optEpochs(5).build(),
                14_000_000, true);
        MachineMemory small = new MachineMemory(12 * GB, 24 * GB, "the machine's available memory", GB);
        String why = plan.refusal(Optional.of(small), 6 * GB, GB, 2 * GB);
        assertTrue(why.startsWith("the model needs about "), why);
        assertTrue(why.contains("the machine's available memory leaves 12.0 GB"), why);
        assertTrue(why.contains("--factor") && why.contains("--average-from"), why);
        assertEquals(1, why.lines().count());
    }

    @Test
    void examplesThatDoNotFitTheHeapAreRefusedWithTheHeapFlag() {
        ModelShape shape = new ModelShape(Variant.GMF, 1000, 100, 8, new int[0]);
        MemoryPlan plan = MemoryPlan.of(shape, config().build(), 500_000_000, true);
        String why = plan.refusal(Optional.empty(), 6 * GB, GB, 2 * GB);
        assertTrue(why.contains("JAVA_OPTS=-Xmx") && why.contains("--negatives"), why);
    }

    @Test
    void denseOptimizersAndGpusAreCountedAsTheyAllocate() {
        ModelShape shape = new ModelShape(Variant.GMF, 1_000_000, 1_000, 64, new int[0]);
        long params = MemoryPlan.of(shape, config().optFactor(64).build(), 1, true).parameterBytes();
        assertEquals(4 * params, MemoryPlan.of(shape, config().optFactor(64).optOptimizer(OptimizerKind.DENSE_ADAM)
                .build(), 1, true).optimizerBytes());
        assertEquals(2 * params, MemoryPlan.of(shape, config().optFactor(64).optOptimizer(OptimizerKind.SGD).build(), 1,
                true).optimizerBytes());
        assertEquals(0, MemoryPlan.of(shape, config().optFactor(64).build(), 1, false).outsideHeapBytes());
    }
}
