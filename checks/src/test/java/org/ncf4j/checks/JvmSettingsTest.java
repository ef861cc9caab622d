package org.ncf4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lib/jvm.sh defines the JVM settings of the server and the trainer once: the server's image entry point (in
 * each Dockerfile's layout) starts java with the flags bin/ncf-server uses, and the trainer's tests run with the
 * allocator settings of bin/ncf-train, which trainer/pom.xml repeats because surefire cannot source a shell file.
 * The scripts run for real against a stand-in {@code java} that prints how it was started.
 */
class JvmSettingsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VECTOR = "jdk.incubator.vector";

    @TempDir
    Path dir;

    private Path fakeBin;

    @BeforeEach
    void standInJava() throws IOException {
        fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
        // the JDK's modules are what FAKE_MODULES lists; any other call prints its arguments and allocator settings
        Files.writeString(fakeBin.resolve("java"), """
                #!/usr/bin/env bash
                if [[ "$1" == --list-modules ]]; then printf '%s@17\\n' java.base $FAKE_MODULES; exit 0; fi
                printf 'arg %s\\n' "$@"
                env | grep -E '^(MALLOC|THP)_' | sort || true
                """);
        Files.setPosixFilePermissions(fakeBin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs SCRIPT ARGS with the stand-in java on the path and no settings of the caller's; returns what it printed. */
    private List<String> run(Path script, String modules, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.startsWith("THP_") || k.equals("JAVA_OPTS"));
        pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_MODULES", modules);
        pb.environment().put("NCF_SKIP_BUILD", "1"); // the launchers' jars need not exist for the stand-in
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), script + ": " + out);
        return out.lines().toList();
    }

    /** The java arguments before {@code -jar}: the JVM's flags. */
    private static List<String> flags(List<String> printed) {
        List<String> args = printed.stream().filter(l -> l.startsWith("arg ")).map(l -> l.substring(4)).toList();
        assertTrue(args.contains("-jar"), "java started with a jar: " + printed);
        return args.subList(0, args.indexOf("-jar"));
    }

    /**
     * The final stage of a Dockerfile laid out under {@code dir}: the files it copies from the build context, at
     * the paths the image has them. Returns the entry point.
     */
    private Path imageLayout(String dockerfile) throws IOException {
        String text = Files.readString(ROOT.resolve("deploy").resolve(dockerfile));
        String last = text.substring(text.lastIndexOf("\nFROM "));
        Path image = Files.createDirectories(dir.resolve(dockerfile + "-image"));
        Matcher copy = Pattern.compile("\\nCOPY (?!--)(\\S+) /(\\S+)").matcher(last);
        while (copy.find()) {
            Path to = image.resolve(copy.group(2));
            Files.createDirectories(to.getParent());
            Files.copy(ROOT.resolve(copy.group(1)), to);
        }
        Matcher entry = Pattern.compile("\\nENTRYPOINT \\[\"/([^\"]+)\"]").matcher(last);
        assertTrue(entry.find(), dockerfile + " names its entry point");
        assertTrue(Files.isRegularFile(image.resolve(entry.group(1))), dockerfile + " copies its entry point");
        return image.resolve(entry.group(1));
    }

    @Test
    void eachImagesEntryPointStartsTheServerWithTheFlagsOfBinNcfServer() throws Exception {
        for (String dockerfile : List.of("Dockerfile", "Dockerfile.cuda")) {
            Path entryPoint = imageLayout(dockerfile);
            for (String modules : List.of("java.desktop " + VECTOR, "java.desktop")) {
                List<String> image = flags(run(entryPoint, modules));
                List<String> launcher = flags(run(ROOT.resolve("bin/ncf-server"), modules));
                assertEquals(launcher, image, dockerfile + " with the modules " + modules);
                assertEquals(modules.contains(VECTOR), image.contains(VECTOR), dockerfile + ": " + image);
            }
        }
    }

    @Test
    void theTrainersTestsRunWithTheAllocatorSettingsOfBinNcfTrain() throws Exception {
        Map<String, String> launcher = new TreeMap<>();
        for (String line : run(ROOT.resolve("bin/ncf-train"), "", "--help")) {
            if (line.startsWith("MALLOC_") || line.startsWith("THP_")) {
                launcher.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        assertFalse(launcher.isEmpty(), "bin/ncf-train sets glibc's and PyTorch's allocators");
        Map<String, String> tests = new TreeMap<>();
        Matcher env = Pattern.compile("<((?:MALLOC|THP)_[A-Z_]+)>([^<]*)</\\1>")
                .matcher(Files.readString(ROOT.resolve("trainer/pom.xml")));
        while (env.find()) {
            tests.put(env.group(1), env.group(2));
        }
        assertEquals(launcher, tests, "trainer/pom.xml's surefire environment against bin/lib/jvm.sh");
    }
}
