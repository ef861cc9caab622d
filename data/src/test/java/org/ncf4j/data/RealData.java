package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find MovieLens 1M (the NCF paper's split): the directory named by NCF_DATA_DIR. Without it the
 * test is skipped, except when CI=true, where it fails.
 */
public final class RealData {
    private RealData() {
    }

    public static Path dir() {
        String dir = System.getenv("NCF_DATA_DIR");
        Path path = dir == null ? null : Path.of(dir);
        boolean present = path != null && Files.isRegularFile(path.resolve("ml-1m.train.rating"));
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("MovieLens 1M NCF split files (ml-1m.train.rating, ml-1m.test.rating, ml-1m.test.negative) "
                    + "expected in the directory named by NCF_DATA_DIR, not found at " + path);
        }
        assumeTrue(present, "MovieLens 1M split files not found (set NCF_DATA_DIR)");
        return path;
    }
}
