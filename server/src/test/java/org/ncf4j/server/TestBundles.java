package org.ncf4j.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ncf4j.trainer.cli.TrainCommand;

/** Trains and exports tiny NeuMF bundles on synthetic data (users of four groups prefer their group's items). */
final class TestBundles {
    static final int USERS = 40;
    static final int ITEMS = 24;

    private TestBundles() {
    }

    static Path data(Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        List<String> lines = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            for (int k = 0; k < 8; k++) {
                int item = r.nextInt(10) < 9 ? u % 4 + 4 * r.nextInt(ITEMS / 4) : r.nextInt(ITEMS);
                lines.add("u" + u + ",i" + item + "," + (1000 + k));
            }
        }
        Path file = dir.resolve("interactions.csv");
        Files.write(file, lines);
        return file;
    }

    /** Trains on {@code data} with the seed and exports the bundle to {@code bundle}. */
    static void train(Path data, long seed, Path bundle) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainCommand.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err),
                "--interactions", data.toString(), "--timestamp-col", "2", "--model", "neumf", "--factor", "4",
                "--layers", "8,4", "--epochs", "2", "--batch-size", "32", "--lr", "0.01", "--seed",
                Long.toString(seed), "--no-full-ranking", "-o", bundle.getParent().resolve("run-" + seed).toString(),
                "--export-dir", bundle.toString());
        if (code != 0) {
            throw new IllegalStateException("training the test bundle failed: "
                    + err.toString(StandardCharsets.UTF_8));
        }
    }
}
