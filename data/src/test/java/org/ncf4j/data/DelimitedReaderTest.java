package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelimitedReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static DataException failure(DelimitedFormat format, Path file) {
        return assertThrows(DataException.class, () -> new DelimitedReader(format).read(file));
    }

    private static DelimitedFormat csv(String user, String item, String rating, String timestamp) {
        return new DelimitedFormat(",", true, user, item, rating, timestamp, null);
    }

    @Test
    void readsMovieLensLinesWithDenseIdsInOrderOfFirstAppearance() throws IOException {
        Path f = write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n");
        Interactions data = new DelimitedReader(DelimitedFormat.movieLens()).read(f);
        assertEquals(3, data.size());
        assertEquals(f.toString(), data.source());
        assertEquals(2, data.users().size());
        assertEquals(2, data.items().size());
        assertEquals("1193", data.items().id(0));
        assertEquals("661", data.items().id(1));
        assertEquals(1, data.user(2));
        assertEquals(0, data.item(2));
        assertEquals(978302109L, data.timestamp(1));
    }

    @Test
    void readsCsvWithHeaderByColumnNameInAnyOrder() throws IOException {
        Path f = write("r.csv", "ts,item_id,rating,user_id\n100,a,4.5,u1\n200,b,3,u2\n");
        Interactions data = new DelimitedReader(csv("user_id", "item_id", "rating", "ts")).read(f);
        assertEquals(2, data.size());
        assertEquals("u1", data.users().id(data.user(0)));
        assertEquals("b", data.items().id(data.item(1)));
        assertEquals(200L, data.timestamp(1));
    }

    @Test
    void readsColumnsByIndexInFileWithHeader() throws IOException {
        Path f = write("r.csv", "user,item\nu1,i1\n");
        Interactions data = new DelimitedReader(csv("0", "1", null, null)).read(f);
        assertEquals(1, data.size());
        assertEquals("i1", data.items().id(0));
    }

    @Test
    void keepsStringIdsAsTheyAreAndStripsSurroundingSpaces() throws IOException {
        Path f = write("retail.tsv", "17850\t84707B\n 17850 \t 85123A \n");
        DelimitedFormat format = new DelimitedFormat("\t", false, "0", "1", null, null, null);
        Interactions data = new DelimitedReader(format).read(f);
        assertEquals(1, data.users().size());
        assertEquals("17850", data.users().id(0));
        assertEquals(0, data.items().indexOf("84707B"));
        assertEquals(1, data.items().indexOf("85123A"));
    }

    @Test
    void numericAndTextIdsShareOneIndexSpaceAndLeadingZerosStayDistinct() throws IOException {
        Path f = write("mixed.csv", "7,42\n7,042\nü7,42\n 7 ,x\r\n7, 42");
        DelimitedFormat format = new DelimitedFormat(",", false, "0", "1", null, null, null);
        Interactions data = new DelimitedReader(format).read(f);
        assertEquals(5, data.size());
        assertEquals(java.util.List.of("7", "ü7"), data.users().ids());
        assertEquals(java.util.List.of("42", "042", "x"), data.items().ids());
        assertEquals(0, data.items().indexOf("42"));
        assertEquals(1, data.items().indexOf("042"));
        assertEquals(-1, data.items().indexOf("43"));
        assertEquals(0, data.item(4), "the last line has no line break and a spaced numeric id");
        assertEquals(0, data.user(3));
    }

    @Test
    void linesLongerThanTheReadBufferAndMultiByteDelimiters() throws IOException {
        String longId = "u" + "x".repeat(3 << 20);
        Path f = write("long.dat", "1::2::5::10\n" + longId + "::3::4::11\n2::2::1::12\n");
        Interactions data = new DelimitedReader(DelimitedFormat.movieLens()).read(f);
        assertEquals(3, data.size());
        assertEquals(longId, data.users().id(1));
        assertEquals(11L, data.timestamp(1));
        assertEquals(java.util.List.of("2", "3"), data.items().ids());
    }

    @Test
    void ignoresUtf8ByteOrderMarkBeforeHeaderOrFirstId() throws IOException {
        Path withHeader = write("bom.csv", "\uFEFFuser_id,item_id\nu1,i1\n");
        assertEquals("u1", new DelimitedReader(csv("user_id", "item_id", null, null)).read(withHeader).users().id(0));
        Path noHeader = write("bom.dat", "\uFEFF1::10::5::1\n1::11::4::2\n");
        Interactions data = new DelimitedReader(DelimitedFormat.movieLens()).read(noHeader);
        assertEquals(1, data.users().size());
        assertEquals("1", data.users().id(0));
    }

    @Test
    void withoutTimestampColumnAllTimestampsAreZero() throws IOException {
        Path f = write("r.csv", "u,i\n1,2\n1,3\n");
        Interactions data = new DelimitedReader(csv("u", "i", null, null)).read(f);
        assertEquals(0L, data.timestamp(0));
        assertEquals(0L, data.timestamp(1));
    }

    @Test
    void minRatingDropsLowerRatingsAndKeepsEqualOnes() throws IOException {
        Path f = write("ratings.dat", "1::10::5::1\n1::11::3::2\n1::12::4::3\n2::10::3.9::4\n");
        Interactions data = new DelimitedReader(DelimitedFormat.movieLens().withMinRating(4.0)).read(f);
        assertEquals(2, data.size());
        assertEquals("10", data.items().id(data.item(0)));
        assertEquals("12", data.items().id(data.item(1)));
        assertEquals(1, data.users().size(), "a user whose ratings are all dropped is not in the id map");
    }

    @Test
    void skipsBlankLinesButCountsThemInLineNumbers() throws IOException {
        Path f = write("ratings.dat", "\n1::10::5::1\n   \n\n2::11::4::2\n2::oops\n");
        DataException e = failure(DelimitedFormat.movieLens(), f);
        assertTrue(e.getMessage().contains(":6:"), e.getMessage());

        Path ok = write("ok.dat", "\n1::10::5::1\n   \n\n2::11::4::2\n\n");
        assertEquals(2, new DelimitedReader(DelimitedFormat.movieLens()).read(ok).size());
    }

    @Test
    void malformedLineNamesFileLineAndExpectedFields() throws IOException {
        Path f = write("ratings.dat", "1::10::5::1\n1,11,4,2\n");
        String msg = failure(DelimitedFormat.movieLens(), f).getMessage();
        assertTrue(msg.startsWith(f + ":2:"), msg);
        assertTrue(msg.contains("expected at least 4 fields separated by '::'"), msg);
        assertTrue(msg.contains("user in column 0, item in 1, rating in 2, timestamp in 3"), msg);
        assertTrue(msg.contains("found 1 in '1,11,4,2'"), msg);
    }

    @Test
    void tabDelimiterIsShownEscapedInMessages() throws IOException {
        Path f = write("r.tsv", "1 2\n");
        String msg = failure(new DelimitedFormat("\t", false, "0", "1", null, null, null), f).getMessage();
        assertTrue(msg.contains("separated by '\\t'"), msg);
    }

    @Test
    void emptyUserOrItemIdIsRejected() throws IOException {
        Path f = write("r.csv", "u,i\n1,\n");
        String msg = failure(csv("u", "i", null, null), f).getMessage();
        assertTrue(msg.startsWith(f + ":2: empty item id"), msg);
    }

    @Test
    void nonNumericRatingNamesFileLineAndValue() throws IOException {
        Path f = write("ratings.dat", "1::10::5::1\n1::11::five::2\n");
        String msg = failure(DelimitedFormat.movieLens(), f).getMessage();
        assertEquals(f + ":2: rating 'five' is not a number", msg);
    }

    @Test
    void nonIntegerTimestampNamesFileLineAndValue() throws IOException {
        Path f = write("ratings.dat", "1::10::5::1\n1::11::4::1.5e9\n");
        String msg = failure(DelimitedFormat.movieLens(), f).getMessage();
        assertEquals(f + ":2: timestamp '1.5e9' is not an integer", msg);
    }

    @Test
    void anUndeclaredHeaderLineGetsAHint() throws IOException {
        Path f = write("h.csv", "user,item,rating,ts\n1,10,5,100\n");
        String msg = failure(new DelimitedFormat(",", false, "0", "1", null, "3", null), f).getMessage();
        assertEquals(f + ":1: timestamp 'ts' is not an integer (if the first line names the columns, read the "
                + "file with a header: --header)", msg);
        msg = failure(new DelimitedFormat(",", false, "0", "1", "2", null, null), f).getMessage();
        assertTrue(msg.startsWith(f + ":1: rating 'rating' is not a number (if the first line"), msg);
    }

    @Test
    void emptyFileWithoutHeaderSaysNoInteractions() throws IOException {
        Path f = write("empty.dat", "");
        String msg = failure(DelimitedFormat.movieLens(), f).getMessage();
        assertTrue(msg.startsWith(f + ": no interactions found"), msg);
    }

    @Test
    void emptyFileWithHeaderSaysHeaderExpected() throws IOException {
        Path f = write("empty.csv", "");
        String msg = failure(csv("u", "i", null, null), f).getMessage();
        assertEquals(f + ": the file is empty (expected a header line)", msg);
    }

    @Test
    void headerOnlyFileSaysNoInteractions() throws IOException {
        Path f = write("header.csv", "u,i\n");
        String msg = failure(csv("u", "i", null, null), f).getMessage();
        assertTrue(msg.startsWith(f + ": no interactions found"), msg);
    }

    @Test
    void noInteractionsAboveMinRatingIsReportedWithTheThreshold() throws IOException {
        Path f = write("ratings.dat", "1::10::2::1\n");
        String msg = failure(DelimitedFormat.movieLens().withMinRating(4.0), f).getMessage();
        assertTrue(msg.contains("no interactions found with rating >= 4.0"), msg);
    }

    @Test
    void unknownColumnNameListsTheHeader() throws IOException {
        Path f = write("r.csv", "user_id,item_id\n1,2\n");
        String msg = failure(csv("user_id", "movie", null, null), f).getMessage();
        assertEquals(f + ": unknown item column 'movie'; the header has [user_id, item_id]", msg);
    }

    @Test
    void columnNameWithoutHeaderExplainsNumbersAreNeeded() throws IOException {
        Path f = write("r.csv", "1,2\n");
        DelimitedFormat format = new DelimitedFormat(",", false, "user_id", "1", null, null, null);
        String msg = failure(format, f).getMessage();
        assertTrue(msg.contains("unknown user column 'user_id'"), msg);
        assertTrue(msg.contains("columns are 0-based numbers"), msg);
    }

    @Test
    void columnIndexBeyondHeaderIsRejected() throws IOException {
        Path f = write("r.csv", "u,i\n1,2\n");
        String msg = failure(csv("u", "i", "5", null), f).getMessage();
        assertTrue(msg.contains("the rating column 5 is beyond the header [u, i]"), msg);
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("nope.dat");
        assertEquals("interactions file not found: " + f, failure(DelimitedFormat.movieLens(), f).getMessage());
    }

    @Test
    void formatRejectsMinRatingWithoutRatingColumn() {
        DataException e = assertThrows(DataException.class,
                () -> new DelimitedFormat(",", false, "0", "1", null, null, 4.0));
        assertTrue(e.getMessage().contains("rating column"), e.getMessage());
    }
}
