package org.ncf4j.trainer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The process's peak resident memory, where the system tells it (Linux: VmHWM in /proc/self/status). */
final class PeakMemory {
    private PeakMemory() {
    }

    static OptionalLong megabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return OptionalLong.of(Long.parseLong(kb) / 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: nothing to report
        }
        return OptionalLong.empty();
    }
}
