package org.ncf4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lib/build.sh, which the launchers use to build their module on first use: launchers started together run one
 * Maven build, not two over the same target folders, and a rebuild follows a new source, stamp or failure. Maven is
 * a stand-in here that records each run and fails when another run is still going. Needs flock(1), as the launchers
 * do to take turns.
 */
class LauncherBuildTest {
    @TempDir
    Path root;

    private Path jar;
    private Path log;

    @BeforeEach
    void checkout() throws IOException {
        Files.createDirectories(root.resolve("bin/lib"));
        Files.copy(Path.of("../bin/lib/build.sh"), root.resolve("bin/lib/build.sh"));
        Files.createDirectories(root.resolve("mod/src/main"));
        jar = root.resolve("mod/target/mod.jar");
        log = root.resolve("mvn.log");
        Path fakeBin = Files.createDirectories(root.resolve("fake-bin"));
        Files.writeString(fakeBin.resolve("mvn"), """
                #!/usr/bin/env bash
                echo "start $*" >> "$MVN_LOG"
                mkdir "$MVN_LOG.running" 2> /dev/null || { echo overlap >> "$MVN_LOG"; exit 1; }
                sleep 1
                [[ -z "${MVN_FAIL:-}" ]] || { rmdir "$MVN_LOG.running"; echo "stand-in mvn: failing, as MVN_FAIL asks" >&2; exit 1; }
                mkdir -p "$(dirname "$MVN_JAR")" && touch "$MVN_JAR"
                rmdir "$MVN_LOG.running"
                """);
        Files.setPosixFilePermissions(fakeBin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Starts a launcher's build step: ncf_build with the module's jar and STAMP. */
    private Process launcher(String stamp, String... env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; root=\"$1\"; . \"$root/bin/lib/build.sh\"; "
                        + "ncf_build mod \"$root/mod/target/mod.jar\" \"$2\" \"-Pextra\" mod; "
                        + "eval \"${AFTER:-}\"",
                "test-launcher", root.toString(), stamp); // $0, the launcher's name in its messages
        pb.environment().put("PATH", root.resolve("fake-bin") + ":" + System.getenv("PATH"));
        pb.environment().put("MVN_LOG", log.toString());
        pb.environment().put("MVN_JAR", jar.toString());
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        return pb.redirectErrorStream(true).start();
    }

    private static int exit(Process p) throws Exception {
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        System.out.print(output);
        return code;
    }

    private List<String> mavenRuns() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void launchersStartedTogetherBuildOnceOneAfterTheOther() throws Exception {
        Process first = launcher("");
        Process second = launcher("");
        Process third = launcher("");
        assertEquals(0, exit(first));
        assertEquals(0, exit(second));
        assertEquals(0, exit(third));
        // the others waited for the lock, then found the jar up to date
        assertEquals(List.of("start -q -B -Dstyle.color=never -f " + root.resolve("pom.xml") + " -pl mod -am package "
                + "-DskipTests -Pextra"), mavenRuns());
    }

    @Test
    void aNewerSourceOrAnotherStampRebuilds() throws Exception {
        assertEquals(0, exit(launcher("flags commit-1")));
        assertEquals(0, exit(launcher("flags commit-1")));
        assertEquals(1, mavenRuns().size(), mavenRuns().toString());
        assertEquals(0, exit(launcher("flags commit-2")));
        assertEquals(2, mavenRuns().size(), mavenRuns().toString());
        Files.writeString(root.resolve("mod/src/main/Changed.java"), "class Changed {}");
        Files.setLastModifiedTime(root.resolve("mod/src/main/Changed.java"),
                FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));
        assertEquals(0, exit(launcher("flags commit-2")));
        assertEquals(3, mavenRuns().size(), mavenRuns().toString());
    }

    @Test
    void aFailedBuildFailsTheLauncher() throws Exception {
        assertEquals(1, exit(launcher("", "MVN_FAIL", "1")));
        assertTrue(Files.notExists(jar));
        assertEquals(0, exit(launcher("")));
        assertEquals(2, mavenRuns().size(), mavenRuns().toString());
        assertTrue(Files.exists(jar));
    }

    @Test
    void theProgramALauncherStartsDoesNotHoldTheLock() throws Exception {
        // what the launcher runs after its build (exec java) must not keep other launchers waiting
        Process p = launcher("", "AFTER", "flock -n \"$root/target/.build.lock\" true && echo lock-free");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.endsWith("lock-free\n"), output);
    }

    @Test
    void anUpToDateLauncherDoesNotWaitForAnotherBuild() throws Exception {
        assertEquals(0, exit(launcher("")));
        Process holder = new ProcessBuilder("flock", "-o", root.resolve("target/.build.lock").toString(), "sleep", "60")
                .start();
        try {
            Thread.sleep(300); // the holder has the lock
            long start = System.nanoTime();
            assertEquals(0, exit(launcher("")));
            assertTrue(System.nanoTime() - start < 20_000_000_000L);
            assertEquals(1, mavenRuns().size(), mavenRuns().toString());
            // a stale one says what it waits for, and builds once the other build is over
            Files.delete(jar);
            Process waiting = launcher("");
            Thread.sleep(1500);
            assertTrue(waiting.isAlive(), "built while another build held the lock");
            holder.destroy();
            String output = new String(waiting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, waiting.waitFor(), output);
            assertTrue(output.startsWith("test-launcher: waiting for another build of this checkout to finish"),
                    output);
            assertEquals(2, mavenRuns().size(), mavenRuns().toString());
        } finally {
            holder.destroy();
        }
    }
}
