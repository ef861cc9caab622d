package org.ncf4j.trainer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small interactions CSV with learnable structure: users and items fall into four groups, and a user mostly
 * interacts with items of their own group. Ids are strings, as in real datasets.
 */
final class SyntheticData {
    private SyntheticData() {
    }

    static Path write(Path dir, int users, int items, int perUser, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        lines.add("user,item,rating,ts");
        long ts = 1_000_000;
        for (int u = 0; u < users; u++) {
            int group = u % 4;
            for (int k = 0; k < perUser; k++) {
                int item = r.nextInt(10) < 9 ? group + 4 * r.nextInt(items / 4) : r.nextInt(items);
                lines.add("U" + u + ",I" + item + "," + (1 + r.nextInt(5)) + "," + (ts + r.nextInt(100_000)));
            }
        }
        Path file = dir.resolve("interactions.csv");
        Files.write(file, lines);
        return file;
    }
}
