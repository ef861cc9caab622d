package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensReadTest {
    @TempDir
    Path dir;

    private static String failure(Path location) {
        String msg = assertThrows(DataException.class,
                () -> MovieLens.read(location, DelimitedFormat.movieLens())).getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        return msg;
    }

    @Test
    void readsRatingsFileItself() throws IOException {
        Path f = Files.writeString(dir.resolve("ratings.dat"), TestZip.RATINGS);
        Interactions data = MovieLens.read(f, DelimitedFormat.movieLens());
        assertEquals(5, data.size());
        assertEquals(f.toString(), data.source());
    }

    @Test
    void readsRatingsFileInDirectory() throws IOException {
        Path f = Files.writeString(dir.resolve("ratings.dat"), TestZip.RATINGS);
        assertEquals(f.toString(), MovieLens.read(dir, DelimitedFormat.movieLens()).source());
    }

    @Test
    void readsRatingsFileInExtractedMl1mFolder() throws IOException {
        Path f = Files.writeString(Files.createDirectory(dir.resolve("ml-1m")).resolve("ratings.dat"),
                TestZip.RATINGS);
        Interactions data = MovieLens.read(dir, DelimitedFormat.movieLens());
        assertEquals(f.toString(), data.source());
        assertEquals(3, data.users().size());
    }

    @Test
    void readsRatingsFromZipWithoutExtracting() throws IOException {
        Path zip = Files.write(dir.resolve("ml-1m.zip"), TestZip.ml1m());
        Interactions data = MovieLens.read(zip, DelimitedFormat.movieLens().withMinRating(4.0));
        assertEquals(zip + "!ml-1m/ratings.dat", data.source());
        assertEquals(3, data.size());
        assertEquals(2, data.items().size(), "661 is only rated below 4");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "nothing extracted");
        }
    }

    @Test
    void readsZipWithRatingsAtTheTop() throws IOException {
        Path zip = Files.write(dir.resolve("ratings.zip"), TestZip.of("ratings.dat", TestZip.RATINGS));
        assertEquals(zip + "!ratings.dat", MovieLens.read(zip, DelimitedFormat.movieLens()).source());
    }

    @Test
    void malformedLineInZipNamesZipEntryAndLine() throws IOException {
        Path zip = Files.write(dir.resolve("ml-1m.zip"),
                TestZip.of("ml-1m/ratings.dat", "1::1193::5::978300760\n1::661\n"));
        assertTrue(failure(zip).startsWith(zip + "!ml-1m/ratings.dat:2: expected at least 4 fields"));
    }

    @Test
    void zipWithoutRatingsIsReported() throws IOException {
        Path zip = Files.write(dir.resolve("ml-1m.zip"), TestZip.of("ml-1m/movies.dat", "1::Toy Story (1995)\n"));
        assertEquals("MovieLens ratings not found: " + zip + " has no ratings.dat entry", failure(zip));
    }

    @Test
    void fileThatIsNoZipIsReported() throws IOException {
        Path zip = Files.writeString(dir.resolve("ml-1m.zip"), "<html>not found</html>");
        assertTrue(failure(zip).startsWith(zip + ": not a readable zip file"));
    }

    @Test
    void directoryWithoutRatingsIsReported() {
        assertEquals("MovieLens ratings not found: " + dir + " holds neither ratings.dat nor ml-1m/ratings.dat",
                failure(dir));
    }

    @Test
    void missingLocationIsReported() {
        Path missing = dir.resolve("ml-1m.zip");
        assertEquals("MovieLens ratings not found: " + missing, failure(missing));
    }
}
