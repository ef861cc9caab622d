package org.ncf4j.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.data.MachineMemory;
import org.ncf4j.server.TestBundles;

/** A version's memory need is estimated from its files and refused, with both figures, when it cannot fit. */
class MemoryCheckTest {
    @Test
    void theNeedCountsTheDataFileTheHeapsShareAndARankingRun(@TempDir Path dir) throws Exception {
        Path b = TestBundles.write(dir.resolve("b"), 1);
        BundleCard card = Bundle.card(b, Bundle.MAX_FILE_BYTES);
        MemoryCheck.Need need = MemoryCheck.need(b, card, 4, false);
        assertEquals(Files.size(b.resolve(BundleFiles.WEIGHTS)), need.mapped());
        assertEquals(4 * ModelLoader.perUserBytes(card), need.run());
        assertTrue(need.heap() > MemoryCheck.BYTES_PER_ID * (card.numUsers() + card.numItems()), need.toString());
        // an item index: its graph, and its vectors (factor, item term, lift) twice while it is built
        MemoryCheck.Need indexed = MemoryCheck.need(b, card, 4, true);
        assertEquals(card.numItems() * (2 * (16 + 4L * (card.factor() + 2)) + MemoryCheck.INDEX_BYTES_PER_ITEM),
                indexed.heap() - need.heap());
    }

    private static Optional<MachineMemory> room(long available, String limitedBy) {
        return Optional.of(new MachineMemory(available, 16L << 30, limitedBy, 100L << 20));
    }

    @Test
    void aVersionThatCannotFitIsRefusedWithOneLineNamingBoth() {
        MemoryCheck.Need need = new MemoryCheck.Need(600L << 20, 200L << 20, 400L << 20);
        String machine = "the machine's available memory";
        assertNull(MemoryCheck.refusal(need, room(2L << 30, machine), 1L << 30));
        assertEquals("needs about 1200 MiB (600 MiB data file mapped, 200 MiB in the heap, 400 MiB for a ranking run "
                + "at load), more than the 1000 MiB available (the machine's available memory; a swap holds the "
                + "serving version and the new one at once)", MemoryCheck.refusal(need, room(1000L << 20, machine),
                1L << 30));
        assertEquals("needs about 1200 MiB (600 MiB data file mapped, 200 MiB in the heap, 400 MiB for a ranking run "
                + "at load), more than the 900 MiB available (the container's memory limit; a swap holds the "
                + "serving version and the new one at once)", MemoryCheck.refusal(need, room(900L << 20,
                "the container's memory limit"), 1L << 30));
        assertEquals("needs about 200 MiB of heap for its ids, seen items and item index, more than the 100 MiB the "
                + "JVM's heap has left (raise -Xmx or -XX:MaxRAMPercentage, or set ncf.retrieval=off)",
                MemoryCheck.refusal(need, room(2L << 30, machine), 100L << 20));
    }

    @Test
    void withoutFiguresOfTheMachineOnlyTheHeapIsChecked() {
        MemoryCheck.Need need = new MemoryCheck.Need(600L << 40, 200L << 20, 400L << 20);
        assertNull(MemoryCheck.refusal(need, Optional.empty(), 1L << 30));
        assertTrue(MemoryCheck.refusal(need, Optional.empty(), 100L << 20).contains("the JVM's heap has left"));
        assertTrue(MemoryCheck.heapLeft() > 0);
    }
}
