package org.ncf4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * What memory this process may still take, as Linux tells it: the machine's available memory
 * ({@code MemAvailable} in {@code /proc/meminfo}) and, in a container, what its memory limit leaves (cgroup v2
 * {@code memory.max} less {@code memory.current}, or cgroup v1's {@code limit_in_bytes} less {@code usage_in_bytes}),
 * whichever is smaller; and this process's resident memory. Elsewhere nothing is known, and checks that need it
 * pass.
 *
 * @param availableBytes what can still be allocated before the machine or the container runs out
 * @param limitBytes the container's limit, or the machine's total memory when there is none
 * @param limitedBy what sets the bound, for messages: "the container's limit" or "the machine's available memory"
 * @param residentBytes this process's resident memory now
 */
public record MachineMemory(long availableBytes, long limitBytes, String limitedBy, long residentBytes) {

    /** Reads the figures now; empty when the system does not tell them (not Linux). */
    public static java.util.Optional<MachineMemory> now() {
        return read(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    /** As {@link #now}, from the given {@code /proc} and cgroup roots (for tests). */
    static java.util.Optional<MachineMemory> read(Path proc, Path cgroup) {
        OptionalLong available = meminfo(proc.resolve("meminfo"), "MemAvailable:");
        OptionalLong total = meminfo(proc.resolve("meminfo"), "MemTotal:");
        if (available.isEmpty() || total.isEmpty()) {
            return java.util.Optional.empty();
        }
        long resident = meminfo(proc.resolve("self/status"), "VmRSS:").orElse(0);
        long free = available.getAsLong();
        long limit = total.getAsLong();
        String by = "the machine's available memory";
        OptionalLong max = number(cgroup.resolve("memory.max"));
        OptionalLong used = number(cgroup.resolve("memory.current"));
        if (max.isEmpty()) {
            max = number(cgroup.resolve("memory/memory.limit_in_bytes"));
            used = number(cgroup.resolve("memory/memory.usage_in_bytes"));
        }
        if (max.isPresent() && max.getAsLong() < total.getAsLong()) {
            limit = max.getAsLong();
            long left = max.getAsLong() - used.orElse(resident);
            if (left < free) {
                free = left;
                by = "the container's memory limit";
            }
        }
        return java.util.Optional.of(new MachineMemory(Math.max(0, free), limit, by, resident));
    }

    /** A value in kB of a {@code /proc} file, in bytes. */
    private static OptionalLong meminfo(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return OptionalLong.of(Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0])
                            * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not there: unknown
        }
        return OptionalLong.empty();
    }

    /** A file holding one number ("max" and absent files: none). */
    private static OptionalLong number(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.matches("\\d+") ? OptionalLong.of(Long.parseLong(s)) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Bytes as gigabytes with one decimal, for messages: "10.7 GB". */
    public static String gb(long bytes) {
        return String.format("%.1f GB", bytes / 1e9);
    }
}
