package org.ncf4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;

class ExportCommandTest {
    @TempDir
    static Path shared;
    static Path csv;
    static Path run;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws Exception {
        csv = SyntheticData.write(shared, 40, 24, 10, 5);
        run = shared.resolve("run");
        TrainCommandTest.Result r = TrainCommandTest.run("--interactions", csv.toString(), "--header",
                "--user-col", "user", "--item-col", "item", "--model", "neumf", "--factor", "4", "--layers",
                "8,4", "--epochs", "1", "--no-export", "-o", run.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static TrainCommandTest.Result export(String... args) {
        List<String> a = new ArrayList<>(List.of("--interactions", csv.toString(), "--header", "--user-col", "user",
                "--item-col", "item"));
        a.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CommandRunner.run(new ExportCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), "ncf-export",
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                a.toArray(String[]::new));
        return new TrainCommandTest.Result(code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exportsASavedCheckpointWithItsReportsMetrics() throws Exception {
        Path bundle = dir.resolve("models/neumf/1");
        TrainCommandTest.Result r = export("--checkpoint", run.resolve("model").toString(), "-o", bundle.toString());
        assertEquals(0, r.code(), r.err());
        Bundle b = Bundle.read(bundle);
        assertEquals("neumf", b.card().variant());
        assertEquals(1, ((Number) b.card().metrics().get("bestEpoch")).intValue());
        assertTrue(r.out().contains("exported neumf"), r.out());
    }

    /** The paper's split format for 30 users and 12 items: 6 training items per user, one test item, 5 negatives. */
    private static Path ncfSplit(Path dir) throws Exception {
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        StringBuilder negative = new StringBuilder();
        for (int u = 0; u < 30; u++) {
            for (int k = 0; k < 6; k++) {
                train.append(u).append('\t').append((u + k) % 12).append("\t1\t0\n");
            }
            int held = (u + 6) % 12;
            test.append(u).append('\t').append(held).append("\t1\t0\n");
            negative.append('(').append(u).append(',').append(held).append(')');
            for (int k = 7; k < 12; k++) {
                negative.append('\t').append((u + k) % 12);
            }
            negative.append('\n');
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tiny.train.rating"), train);
        Files.writeString(dir.resolve("tiny.test.rating"), test);
        Files.writeString(dir.resolve("tiny.test.negative"), negative);
        return dir;
    }

    @Test
    void aModelTrainedWithValidationItemsOfTheSplitFilesExportsWithItsSeed() throws Exception {
        Path split = ncfSplit(dir.resolve("split"));
        Path out = dir.resolve("run");
        TrainCommandTest.Result trained = TrainCommandTest.run("--ncf-split", split.toString(), "--validation",
                "--eval-negatives", "3", "--seed", "2", "--model", "gmf", "--factor", "4", "--epochs", "1",
                "--no-export", "--no-full-ranking", "-o", out.toString());
        assertEquals(0, trained.code(), trained.err());
        String[] data = {"--ncf-split", split.toString(), "--validation", "--eval-negatives", "3"};
        TrainCommandTest.Result bySeedInReport = run(data, "--checkpoint", out.resolve("model").toString(), "-o",
                dir.resolve("b1").toString());
        assertEquals(0, bySeedInReport.code(), bySeedInReport.err());
        TrainCommandTest.Result otherSeed = run(data, "--checkpoint", out.resolve("model").toString(), "--seed",
                "3", "-o", dir.resolve("b2").toString());
        assertEquals(1, otherSeed.code(), otherSeed.err());
        assertTrue(otherSeed.err().contains("also its --seed"), otherSeed.err());
    }

    private static TrainCommandTest.Result run(String[] data, String... args) {
        List<String> a = new ArrayList<>(List.of(data));
        a.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = CommandRunner.run(new ExportCommand(o, e), "ncf-export", o, e, a.toArray(String[]::new));
        return new TrainCommandTest.Result(code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesOtherDataAnExistingVersionAndAMissingCheckpoint() throws Exception {
        TrainCommandTest.Result otherData = export("--checkpoint", run.resolve("model").toString(), "--rating-col",
                "rating", "--min-rating", "2", "-o", dir.resolve("x").toString());
        assertEquals(1, otherData.code());
        assertTrue(otherData.err().contains("was trained on other data than the data given"), otherData.err());
        assertFalse(Files.exists(dir.resolve("x")));
        Files.createDirectories(dir.resolve("taken"));
        TrainCommandTest.Result taken = export("--checkpoint", run.resolve("model").toString(), "-o",
                dir.resolve("taken").toString());
        assertEquals(1, taken.code());
        assertTrue(taken.err().contains("exists"), taken.err());
        TrainCommandTest.Result missing = export("--checkpoint", dir.resolve("nothing").toString(), "-o",
                dir.resolve("y").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("model.json is missing"), missing.err());
        assertEquals(2, export("-o", dir.resolve("z").toString()).code(), "no checkpoint");
    }
}
