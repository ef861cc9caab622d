package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldOutFileTest {
    @TempDir
    Path dir;

    @Test
    void writesExternalIdsAndReadsThemBack() {
        IdMap users = new IdMap();
        users.add("alice");
        users.add("bob");
        IdMap items = new IdMap();
        for (String i : new String[] {"m1", "m2", "m3", "m4"}) {
            items.add(i);
        }
        EvalSet set = new EvalSet(new int[] {1, 0}, new int[] {2, 0}, new int[][] {{0, 3}, {1}});
        Path file = dir.resolve("test.negative");
        HeldOutFile.write(file, set, users, items);
        assertFalse(Files.exists(dir.resolve("test.negative.tmp")));
        List<HeldOutFile.Row> rows = HeldOutFile.read(file);
        assertEquals(2, rows.size());
        assertEquals("bob", rows.get(0).user());
        assertEquals("m3", rows.get(0).item());
        assertArrayEquals(new String[] {"m1", "m4"}, rows.get(0).negatives());
        assertEquals("alice", rows.get(1).user());
        assertEquals(2, rows.get(1).line());
    }

    @Test
    void readsTheNcfFilesOwnFormat() throws Exception {
        Path file = dir.resolve("ml.test.negative");
        Files.writeString(file, "(0,25)\t1064\t174\n\n(1,133)\t1072\t\n");
        List<HeldOutFile.Row> rows = HeldOutFile.read(file);
        assertEquals(2, rows.size());
        assertEquals("25", rows.get(0).item());
        assertArrayEquals(new String[] {"1072"}, rows.get(1).negatives());
        assertEquals(3, rows.get(1).line());
    }

    @Test
    void malformedFilesNameTheFileAndLine() throws Exception {
        Path file = dir.resolve("bad.negative");
        Files.writeString(file, "(u1,i2)\ti3\n(u1)\ti4\n");
        DataException e = assertThrows(DataException.class, () -> HeldOutFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: expected '(user,item)'"), e.getMessage());
        Files.writeString(file, "(,i2)\ti3\n");
        assertThrows(DataException.class, () -> HeldOutFile.read(file));
        Files.writeString(file, "\n");
        assertTrue(assertThrows(DataException.class, () -> HeldOutFile.read(file)).getMessage()
                .contains("no held-out items"));
        assertThrows(DataException.class, () -> HeldOutFile.read(dir.resolve("missing")));
    }
}
