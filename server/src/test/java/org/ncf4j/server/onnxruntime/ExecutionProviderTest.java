package org.ncf4j.server.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;

class ExecutionProviderTest {
    private static final ExecutionProvider.CudaProbe NO_CUDA = (options, device) -> {
        throw new OrtException("Failed to find CUDA shared provider");
    };
    private static final ExecutionProvider.CudaProbe CUDA = (options, device) -> { };

    @Test
    void cpuNeverTouchesCuda() {
        ExecutionProvider.Choice c = ExecutionProvider.choose("CPU", 0, (o, d) -> {
            throw new AssertionError("probed CUDA");
        });
        assertEquals("cpu", c.name());
        assertFalse(c.cuda());
    }

    @Test
    void autoTakesCudaWhenItLoads() {
        ExecutionProvider.Choice c = ExecutionProvider.choose("auto", 1, CUDA);
        assertEquals("cuda:1", c.name());
        assertTrue(c.cuda());
        assertNull(c.fallbackReason());
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        ExecutionProvider.Choice c = ExecutionProvider.choose("auto", 0, NO_CUDA);
        assertEquals("cpu", c.name());
        assertTrue(c.fallbackReason().contains("Failed to find CUDA shared provider"), c.fallbackReason());
    }

    @Test
    void autoOnThisMachineFallsBackWithTheRealProbe() {
        // the CPU build of ONNX Runtime has no CUDA provider, as on every CI machine
        ExecutionProvider.Choice c = ExecutionProvider.choose("auto", 0, (o, d) -> o.addCUDA(d));
        assertEquals("cpu", c.name());
        assertTrue(c.fallbackReason().startsWith("CUDA execution provider unavailable"), c.fallbackReason());
    }

    @Test
    void cudaWithoutCudaIsAnErrorNamingTheWayOut() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ExecutionProvider.choose("cuda", 0, NO_CUDA));
        assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
    }

    @Test
    void unknownProvidersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.choose("tpu", 0, CUDA));
    }
}
