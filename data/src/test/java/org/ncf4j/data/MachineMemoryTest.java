package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory left to a process: the machine's available memory, or its container's limit when that is lower. */
class MachineMemoryTest {
    @TempDir
    Path dir;

    private Path proc(long availableKb, long totalKb) throws IOException {
        Path proc = Files.createDirectories(dir.resolve("proc/self"));
        Files.writeString(proc.getParent().resolve("meminfo"), "MemTotal:       " + totalKb + " kB\n"
                + "MemFree:         1000 kB\nMemAvailable:   " + availableKb + " kB\n");
        Files.writeString(proc.resolve("status"), "Name:\tjava\nVmRSS:\t  2048 kB\n");
        return proc.getParent();
    }

    @Test
    void withoutAContainerLimitTheMachinesAvailableMemoryBounds() throws IOException {
        Path cgroup = Files.createDirectories(dir.resolve("cgroup"));
        Files.writeString(cgroup.resolve("memory.max"), "max\n");
        MachineMemory m = MachineMemory.read(proc(20_000_000, 24_000_000), cgroup).orElseThrow();
        assertEquals(20_000_000L * 1024, m.availableBytes());
        assertEquals(24_000_000L * 1024, m.limitBytes());
        assertEquals(2048L * 1024, m.residentBytes());
        assertTrue(m.limitedBy().contains("machine"));
    }

    @Test
    void aContainerLimitBelowTheMachinesMemoryBoundsByWhatItLeaves() throws IOException {
        Path cgroup = Files.createDirectories(dir.resolve("cgroup"));
        Files.writeString(cgroup.resolve("memory.max"), "8000000000\n");
        Files.writeString(cgroup.resolve("memory.current"), "3000000000\n");
        MachineMemory m = MachineMemory.read(proc(20_000_000, 24_000_000), cgroup).orElseThrow();
        assertEquals(5_000_000_000L, m.availableBytes());
        assertEquals(8_000_000_000L, m.limitBytes());
        assertTrue(m.limitedBy().contains("container"));
    }

    @Test
    void cgroupVersionOneToo() throws IOException {
        Path cgroup = Files.createDirectories(dir.resolve("cgroup/memory"));
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), "4000000000\n");
        Files.writeString(cgroup.resolve("memory.usage_in_bytes"), "1000000000\n");
        MachineMemory m = MachineMemory.read(proc(20_000_000, 24_000_000), cgroup.getParent()).orElseThrow();
        assertEquals(3_000_000_000L, m.availableBytes());
    }

    @Test
    void nothingIsKnownWithoutProc() {
        assertTrue(MachineMemory.read(dir.resolve("none"), dir.resolve("none")).isEmpty());
        assertEquals("10.7 GB", MachineMemory.gb(10_700_000_000L));
    }
}
