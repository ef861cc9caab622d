package org.ncf4j.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * paper-table.sh refuses bad usage with exit 2 and one line, and PLAN=1 shows each run's flags, before it builds or
 * trains anything.
 */
class PaperTableScriptTest {
    @TempDir
    Path out;

    private record Result(int code, String stderr, String stdout) {}

    private Result run(String... keysAndValues) throws Exception {
        Path script = Path.of("bench/paper-table.sh").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), out.toString());
        // the caller's own table settings must not reach the script under test
        pb.environment().keySet().removeIf(key -> key.matches("(NCF_TABLE_|PLAN|FACTORS|SEEDS|MODELS|EPOCHS|NCF_SPLIT"
                + "|(GMF|MLP|PRETRAINED)_FLAGS).*"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            pb.environment().put(keysAndValues[i], keysAndValues[i + 1]);
        }
        pb.redirectError(out.resolve("stderr").toFile()).redirectOutput(out.resolve("stdout").toFile());
        int code = pb.start().waitFor();
        return new Result(code, Files.readString(out.resolve("stderr"), StandardCharsets.UTF_8),
                Files.readString(out.resolve("stdout"), StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownModelIsRefusedNamingIt() throws Exception {
        Result r = run("MODELS", "gmf neumf-pretrained");
        assertEquals(2, r.code(), r.stderr());
        assertEquals("paper-table: unknown model 'neumf-pretrained' in MODELS (gmf, mlp, neumf, neumf-pre, "
                + "neumf-pre-test)\n", r.stderr());
    }

    @Test
    void aMissingSplitFolderIsRefusedNamingIt() throws Exception {
        Result r = run("NCF_SPLIT", out.resolve("no-such-split").toString());
        assertEquals(2, r.code(), r.stderr());
        assertTrue(r.stderr().startsWith("paper-table: no split folder ") && r.stderr().contains("NCF_SPLIT"),
                r.stderr());
    }

    @Test
    void aFactorThatIsNotAWholeNumberIsRefusedNamingIt() throws Exception {
        Result r = run("FACTORS", "8 sixteen");
        assertEquals(2, r.code(), r.stderr());
        assertEquals("paper-table: factor 'sixteen' in FACTORS is not a positive whole number\n", r.stderr());
    }

    @Test
    void aFactorsOwnFlagsReplaceTheGeneralOnesAtThatFactorOnly() throws Exception {
        Files.createDirectories(out.resolve("split"));
        Result r = run("PLAN", "1", "NCF_SPLIT", out.resolve("split").toString(), "FACTORS", "16 8", "SEEDS", "2",
                "MODELS", "gmf neumf-pre-test", "EPOCHS", "7", "GMF_FLAGS", "--negatives 8",
                "GMF_FLAGS_8", "--epochs 3", "PRETRAINED_FLAGS", "--optimizer sgd --lr 0.001",
                "PRETRAINED_FLAGS_8", "");
        assertEquals(0, r.code(), r.stderr());
        String[] lines = r.stdout().split("\n");
        assertEquals(4, lines.length, r.stdout());
        assertTrue(lines[0].startsWith("f16 s2 gmf (to-do): ncf-train ") && lines[0].contains(" --factor 16 --seed 2 ")
                && lines[0].endsWith(" --model gmf --negatives 8 --epochs 7"), lines[0]);
        assertTrue(lines[1].startsWith("f8 s2 gmf (to-do): ") && lines[1].endsWith(" --model gmf --epochs 3"),
                lines[1]);
        // its GMF is trained first, by this invocation, but nothing trains its MLP
        assertTrue(lines[2].startsWith("f16 s2 neumf-pre-test (blocked: it starts from a finished mlp run, ")
                && lines[2].contains(" --pretrained-gmf " + out.resolve("f16/s2/gmf/model-by-test") + " ")
                && lines[2].endsWith(" --optimizer sgd --lr 0.001 --epochs 7"), lines[2]);
        assertTrue(lines[3].startsWith("f8 s2 neumf-pre-test (blocked: ")
                && lines[3].endsWith("/mlp/model-by-test --epochs 7"), lines[3]);
        assertTrue(Files.notExists(out.resolve("wall.log")) && Files.notExists(out.resolve(".trainer")),
                "PLAN=1 ran nothing");
    }

    @Test
    void thePlanMarksARunFinishedWithOtherFlagsAsRefused() throws Exception {
        Files.createDirectories(out.resolve("split"));
        Path done = Files.createDirectories(out.resolve("f8/s1/mlp"));
        Files.writeString(done.resolve("report.json"), "{}");
        Files.writeString(done.resolve("flags"), "--epochs 20\n");
        Result r = run("PLAN", "1", "NCF_SPLIT", out.resolve("split").toString(), "FACTORS", "8", "SEEDS", "1",
                "MODELS", "mlp", "MLP_FLAGS_8", "--embedding-l2 0.001");
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().startsWith("f8 s1 mlp (refused: " + done + " was trained with --epochs 20, not "
                + "--embedding-l2 0.001 --epochs 20; "), r.stdout());
        Files.writeString(done.resolve("flags"), "--embedding-l2 0.001 --epochs 20\n");
        r = run("PLAN", "1", "NCF_SPLIT", out.resolve("split").toString(), "FACTORS", "8", "SEEDS", "1",
                "MODELS", "mlp", "MLP_FLAGS_8", "--embedding-l2 0.001");
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().startsWith("f8 s1 mlp (done): "), r.stdout());
    }

    @Test
    void thePlanMarksAPretrainedRunWithoutItsPartsAsBlockedAndAPartialOneAsToResume() throws Exception {
        Files.createDirectories(out.resolve("split"));
        Path gmf = Files.createDirectories(out.resolve("f8/s1/gmf/model"));
        Files.writeString(gmf.resolveSibling("report.json"), "{}");
        Files.createDirectories(out.resolve("f8/s1/neumf-pre.partial"));
        Result r = run("PLAN", "1", "NCF_SPLIT", out.resolve("split").toString(), "FACTORS", "8", "SEEDS", "1",
                "MODELS", "neumf-pre neumf-pre-test");
        assertEquals(0, r.code(), r.stderr());
        String[] lines = r.stdout().split("\n");
        assertTrue(lines[0].startsWith("f8 s1 neumf-pre (blocked: it starts from a finished mlp run, and "
                + out.resolve("f8/s1/mlp") + " has none; "), lines[0]);
        assertTrue(lines[1].startsWith("f8 s1 neumf-pre-test (blocked: " + out.resolve("f8/s1/gmf")
                + " has no model-by-test "), lines[1]);
        r = run("PLAN", "1", "NCF_SPLIT", out.resolve("split").toString(), "FACTORS", "8", "SEEDS", "1",
                "MODELS", "mlp neumf-pre");
        assertTrue(r.stdout().contains("\nf8 s1 neumf-pre (to-do after mlp): ncf-train "), r.stdout());
        Path mlp = Files.createDirectories(out.resolve("f8/s1/mlp/model"));
        Files.writeString(mlp.resolveSibling("report.json"), "{}");
        r = run("PLAN", "1", "NCF_SPLIT", out.resolve("split").toString(), "FACTORS", "8", "SEEDS", "1",
                "MODELS", "neumf-pre");
        assertTrue(r.stdout().startsWith("f8 s1 neumf-pre (to resume): "), r.stdout());
    }

    @Test
    void thePlanQuotesWhatItPrintsAndWritesNothing() throws Exception {
        Path split = Files.createDirectories(out.resolve("a split"));
        Path planned = out.resolve("not yet");
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("bench/paper-table.sh").toAbsolutePath().toString(),
                planned.toString());
        pb.environment().put("PLAN", "1");
        pb.environment().put("NCF_SPLIT", split.toString());
        pb.environment().put("FACTORS", "8");
        pb.environment().put("SEEDS", "1");
        pb.environment().put("MODELS", "gmf");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), printed);
        assertTrue(printed.contains(" --ncf-split " + out.resolve("a\\ split") + " "), printed);
        assertTrue(Files.notExists(planned), "PLAN=1 made its OUT folder");
    }

    @Test
    void aPlanOtherThanZeroOrOneAndFlagsForAFactorNotInTheTableAreNamed() throws Exception {
        Result r = run("PLAN", "yes");
        assertEquals(2, r.code(), r.stderr());
        assertEquals("paper-table: PLAN is 'yes'; PLAN=1 prints what would run, PLAN=0 (or unset) runs it\n",
                r.stderr());
        Files.createDirectories(out.resolve("split"));
        r = run("PLAN", "1", "NCF_SPLIT", out.resolve("split").toString(), "FACTORS", "16", "SEEDS", "1",
                "MODELS", "gmf", "GMF_FLAGS_08", "--epochs 3", "NCF_TABLE_GMF_16", "--left-over");
        assertEquals(0, r.code(), r.stderr());
        assertEquals("paper-table: GMF_FLAGS_08 is not used: 08 is not one of FACTORS (16)\n", r.stderr());
        assertTrue(r.stdout().endsWith(" --model gmf --epochs 20\n"), r.stdout());
    }
}
