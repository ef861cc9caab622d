package org.ncf4j.server.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.data.MachineMemory;

/**
 * What loading a version will need, estimated from its card and file sizes before anything is read, and checked
 * against what the machine (or the container) has: a version that cannot fit is refused with one line saying
 * both, while the loaded versions keep serving.
 *
 * <p>The need: the data file, whose mapped pages become resident as calls reach every user and item; the heap's
 * share (the id maps at about {@link #BYTES_PER_ID} per id, the seen items and popularity as int arrays, the graphs'
 * bytes); and the load's own work, one ranking run of the ONNX graph as large as the loader times it (its
 * intermediate tensors, {@link ModelLoader#perUserBytes} per user). A swap of versions holds both until the new one
 * is ready, which the check sees: the version that serves is already resident, so it is not in what is available.
 *
 * <p>Available: what {@link MachineMemory} reads, the kernel's {@code MemAvailable} (free memory plus what it can
 * reclaim), or less where the container's cgroup limit leaves less room; the heap's share must also fit in what the
 * JVM's heap has left. Where the system tells neither, the check passes.
 */
final class MemoryCheck {
    /** Heap per external id: the string, its bytes and the map's entry. */
    static final long BYTES_PER_ID = 120;
    /**
     * Heap per item of an item index beside its vectors: the graph's neighbour lists (308 bytes an item measured at a
     * million items with M 16) and the build's sums of the item term.
     */
    static final long INDEX_BYTES_PER_ITEM = 330;

    /** A version's estimated need, in bytes, and its parts. */
    record Need(long mapped, long heap, long run) {
        long total() {
            return mapped + heap + run;
        }

        String describe() {
            return mib(total()) + " MiB (" + mib(mapped) + " MiB data file mapped, " + mib(heap) + " MiB in the "
                    + "heap, " + mib(run) + " MiB for a ranking run at load)";
        }
    }

    private MemoryCheck() {
    }

    /**
     * The need of the version in {@code dir} with this card, whose largest ranking run at load takes {@code users},
     * with an item index ({@code index}: its graph, and its vectors twice while it is built) or without.
     */
    static Need need(Path dir, BundleCard card, int users, boolean index) throws IOException {
        long mapped = 0;
        long heap = BYTES_PER_ID * ((long) card.numUsers() + card.numItems());
        if (index) {
            long vector = 16 + 4L * (card.factor() + 2); // an array of the factor, the item term and the lift
            heap += card.numItems() * (2 * vector + INDEX_BYTES_PER_ITEM);
        }
        for (String name : card.files().keySet()) {
            Path file = dir.resolve(name);
            long size = Files.isRegularFile(file) ? Files.size(file) : 0; // a missing file: the read names it
            if (name.equals(BundleFiles.WEIGHTS)) {
                mapped += size;
            } else if (!name.equals(BundleFiles.USERS) && !name.equals(BundleFiles.ITEMS)) {
                heap += 2 * size; // read, then parsed (the graphs are kept as read; seen items as arrays)
            }
        }
        return new Need(mapped, heap, ModelLoader.perUserBytes(card) * Math.max(1, users));
    }

    /**
     * Null when the need fits, else why not: one line naming the need and what is available.
     *
     * @param memory what the machine or the container has ({@link MachineMemory#now}); empty: not known, not checked
     * @param heapLeft what the JVM's heap can still grow to hold
     */
    static String refusal(Need need, Optional<MachineMemory> memory, long heapLeft) {
        if (memory.isPresent() && need.total() > memory.get().availableBytes()) {
            return "needs about " + need.describe() + ", more than the " + mib(memory.get().availableBytes())
                    + " MiB available (" + memory.get().limitedBy() + "; a swap holds the serving version and the "
                    + "new one at once)";
        }
        if (need.heap() > heapLeft) {
            return "needs about " + mib(need.heap()) + " MiB of heap for its ids, seen items and item index, more "
                    + "than the " + mib(heapLeft) + " MiB the JVM's heap has left (raise -Xmx or -XX:MaxRAMPercentage, "
                    + "or set ncf.retrieval=off)";
        }
        return null;
    }

    /** What the heap can still take: its maximum less what is in use. */
    static long heapLeft() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    static long mib(long bytes) {
        return bytes >> 20;
    }
}
