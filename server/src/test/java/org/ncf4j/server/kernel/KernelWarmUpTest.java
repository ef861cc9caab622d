package org.ncf4j.server.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.server.TestBundles;

class KernelWarmUpTest {
    @Test
    void aWarmUpRunsOnceWhateverTheModelAndSharesNothingWithAnother(@TempDir Path dir) {
        Bundle a = Bundle.read(TestBundles.write(dir.resolve("a"), 1));
        Bundle b = Bundle.read(TestBundles.write(dir.resolve("b"), 2));
        FusedRanker first = FusedRanker.of(a.rankModel(), a.tables(), a.card(), new StringBuilder()).orElseThrow();
        FusedRanker second = FusedRanker.of(b.rankModel(), b.tables(), b.card(), new StringBuilder()).orElseThrow();
        KernelWarmUp warmUp = new KernelWarmUp(1_000_000); // 1 ms: a single batch of runs
        assertTrue(warmUp.warmUp(first));
        assertFalse(warmUp.warmUp(first), "warmed up again");
        assertFalse(warmUp.warmUp(second), "the kernel's code is warm whatever the model");
        assertTrue(new KernelWarmUp(1_000_000).warmUp(second), "one warm-up's state leaked into another");
    }
}
