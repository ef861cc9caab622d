package org.ncf4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

    @Test
    void cpuIsTheCpuWhateverTheGpus() {
        assertEquals(Device.cpu(), DeviceChoice.choose("cpu", 2, "cu128").device());
    }

    @Test
    void autoTakesTheGpuWhenOneIsVisible() {
        DeviceChoice.Decision d = DeviceChoice.choose("AUTO", 1, "cu128");
        assertEquals(Device.gpu(), d.device());
        assertNull(d.note());
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        DeviceChoice.Decision d = DeviceChoice.choose("auto", 0, "PyTorch 2.7.1");
        assertEquals(Device.cpu(), d.device());
        assertTrue(d.note().contains("no GPU"), d.note());
    }

    @Test
    void gpuWithoutAGpuIsAnErrorNamingTheWayOut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceChoice.choose("gpu", 0, "PyTorch 2.7.1"));
        assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
    }

    @Test
    void unknownDeviceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.choose("tpu", 0, "x"));
    }
}
