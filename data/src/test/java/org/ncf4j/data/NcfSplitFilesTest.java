package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NcfSplitFilesTest {
    @TempDir
    Path dir;

    private static final String TRAIN = "0\t0\t5\t100\n0\t1\t3\t101\n0\t1\t4\t102\n1\t2\t4\t100\n";
    // item 6 occurs only in test.rating, item 9 only among the negatives
    private static final String TEST = "0\t6\t5\t200\n1\t3\t4\t200\n";
    private static final String NEGATIVE = "(0,6)\t2\t9\t4\n(1,3)\t0\t3\t5\n";

    private Path write(String prefix, String train, String test, String negative) throws IOException {
        Files.writeString(dir.resolve(prefix + ".train.rating"), train);
        Files.writeString(dir.resolve(prefix + ".test.rating"), test);
        Files.writeString(dir.resolve(prefix + ".test.negative"), negative);
        return dir.resolve(prefix);
    }

    private static DataException failure(Path location) {
        return assertThrows(DataException.class, () -> new NcfSplitFiles(location).read());
    }

    @Test
    void readsTrainingPairsTestItemsAndNegatives() throws IOException {
        Split split = new NcfSplitFiles(write("tiny", TRAIN, TEST, NEGATIVE)).read();
        assertEquals("tiny", split.name());
        assertEquals(2, split.numUsers());
        assertEquals(3, split.train().size(), "the repeated (0,1) pair counts once");
        assertArrayEquals(new int[] {0, 1}, split.train().items(0));
        assertArrayEquals(new int[] {0, 1}, split.test().users());
        assertArrayEquals(new int[] {6, 3}, split.test().positives());
        assertArrayEquals(new int[] {2, 9, 4}, split.test().negatives(0));
        assertNull(split.validation());
        assertEquals(0, split.trainOnlyUsers());
        assertEquals("7", split.items().id(7));
    }

    @Test
    void aValidationItemPerUserComesOutOfTrainingWithNegativesTheUserNeverHad() throws IOException {
        // user 0 has items 0..5 in training, user 1 only item 2: user 1 keeps it and gets no validation item
        String train = "0\t0\t1\t0\n0\t1\t1\t0\n0\t2\t1\t0\n0\t3\t1\t0\n0\t4\t1\t0\n0\t5\t1\t0\n1\t2\t1\t0\n";
        Path prefix = write("v", train, TEST, NEGATIVE);
        Split split = new NcfSplitFiles(prefix).read(3, 7);
        assertArrayEquals(new int[] {0}, split.validation().users());
        int held = split.validation().positives()[0];
        assertEquals(5, split.train().count(0));
        assertTrue(!split.train().contains(0, held) && held >= 0 && held <= 5);
        assertArrayEquals(new int[] {2}, split.train().items(1));
        int[] negatives = split.validation().negatives(0);
        assertEquals(3, negatives.length, "items 6 (test), 0..5 (training) are left out: 7, 8, 9 remain");
        assertArrayEquals(new int[] {7, 8, 9}, negatives);
        assertArrayEquals(new int[] {6, 3}, split.test().positives(), "the paper's test items stay");
        assertArrayEquals(new int[] {2, 9, 4}, split.test().negatives(0));
        assertEquals(held, new NcfSplitFiles(prefix).read(3, 7).validation().positives()[0], "seeded");
        assertNull(new NcfSplitFiles(prefix).read(0, 7).validation());
    }

    @Test
    void sizesItemsFromAllThreeFiles() throws IOException {
        assertEquals(10, new NcfSplitFiles(write("neg", TRAIN, TEST, NEGATIVE)).read().numItems());
        assertEquals(7, new NcfSplitFiles(write("test", TRAIN, TEST, "(0,6)\t2\n(1,3)\t0\n")).read().numItems());
    }

    @Test
    void keepsTestItemListedAmongItsOwnNegatives() throws IOException {
        Split split = new NcfSplitFiles(write("dup", TRAIN, TEST, NEGATIVE)).read();
        assertEquals(3, split.test().positives()[1]);
        assertArrayEquals(new int[] {0, 3, 5}, split.test().negatives(1));
    }

    @Test
    void resolvesDirectoryHoldingOneTrainFile() throws IOException {
        Path prefix = write("ml-tiny", TRAIN, TEST, NEGATIVE);
        NcfSplitFiles files = new NcfSplitFiles(dir);
        assertEquals(prefix, files.prefix());
        assertEquals("ml-tiny", files.read().name());
    }

    @Test
    void usesAPrefixAsGiven() throws IOException {
        Path prefix = write("ml-tiny", TRAIN, TEST, NEGATIVE);
        write("other", TRAIN, TEST, NEGATIVE);
        assertEquals(prefix, new NcfSplitFiles(prefix).prefix());
    }

    @Test
    void directoryWithTwoTrainFilesIsAmbiguous() throws IOException {
        write("one", TRAIN, TEST, NEGATIVE);
        write("two", TRAIN, TEST, NEGATIVE);
        DataException e = assertThrows(DataException.class, () -> new NcfSplitFiles(dir));
        assertEquals(dir + ": expected exactly one *.train.rating file, found 2", e.getMessage());
    }

    @Test
    void directoryWithoutTrainFileSaysSo() {
        DataException e = assertThrows(DataException.class, () -> new NcfSplitFiles(dir));
        assertTrue(e.getMessage().endsWith("found 0"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Path prefix = write("x", TRAIN, TEST, NEGATIVE);
        Files.delete(dir.resolve("x.test.negative"));
        assertEquals("NCF split file not found: " + prefix + ".test.negative", failure(prefix).getMessage());
    }

    @Test
    void testAndNegativeFilesListingDifferentPairsIsAnError() throws IOException {
        Path prefix = write("x", TRAIN, TEST, "(0,6)\t2\n(1,4)\t0\n");
        String msg = failure(prefix).getMessage();
        assertEquals(prefix + ".test.rating line 2 is (1,3) but " + prefix + ".test.negative line 2 is (1,4)", msg);
    }

    @Test
    void testAndNegativeFilesOfDifferentLengthIsAnError() throws IOException {
        Path prefix = write("x", TRAIN, TEST, "(0,6)\t2\n");
        String msg = failure(prefix).getMessage();
        assertTrue(msg.contains(prefix + ".test.rating has 2 lines but " + prefix + ".test.negative has 1"), msg);
    }

    @Test
    void malformedNegativeLineNamesFileAndLine() throws IOException {
        Path prefix = write("x", TRAIN, TEST, "(0,6)\t2\n1,3\t0\n");
        String msg = failure(prefix).getMessage();
        assertTrue(msg.startsWith(prefix + ".test.negative:2: expected '(user,item)'"), msg);
    }

    @Test
    void nonNumericNegativeNamesFileAndLine() throws IOException {
        Path prefix = write("x", TRAIN, TEST, "(0,6)\t2\n(1,3)\t0\tabc\n");
        assertEquals(prefix + ".test.negative:2: 'abc' is not a non-negative integer id", failure(prefix).getMessage());
    }

    @Test
    void malformedTrainLineNamesFileAndLine() throws IOException {
        Path prefix = write("x", "0\t0\t5\t1\n0 1 5 1\n", TEST, NEGATIVE);
        String msg = failure(prefix).getMessage();
        assertTrue(msg.startsWith(prefix + ".train.rating:2: expected 'user<TAB>item"), msg);
    }

    @Test
    void negativeIdInTestFileIsRejected() throws IOException {
        Path prefix = write("x", TRAIN, "0\t-6\t5\t1\n", NEGATIVE);
        assertEquals(prefix + ".test.rating:1: '-6' is not a non-negative integer id", failure(prefix).getMessage());
    }

    @Test
    void emptyTrainFileIsAnError() throws IOException {
        Path prefix = write("x", "\n", TEST, NEGATIVE);
        assertEquals(prefix + ".train.rating: no interactions found", failure(prefix).getMessage());
    }
}
