package org.ncf4j.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** paper-table.sh refuses bad usage with exit 2 and one line, before it builds or trains anything. */
class PaperTableScriptTest {
    @TempDir
    Path out;

    private record Result(int code, String stderr) {}

    private Result run(String key, String value) throws Exception {
        Path script = Path.of("bench/paper-table.sh").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), out.toString());
        pb.environment().put(key, value);
        pb.redirectError(out.resolve("stderr").toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        int code = pb.start().waitFor();
        return new Result(code, Files.readString(out.resolve("stderr"), StandardCharsets.UTF_8));
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
}
