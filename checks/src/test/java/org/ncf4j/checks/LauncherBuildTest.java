package org.ncf4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        // the reactor's pom and the module's, which build.sh watches besides the sources
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(root.resolve("mod/src/main"));
        Files.writeString(root.resolve("mod/pom.xml"), "<project/>\n");
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

    /** Another build of the checkout: holds the build lock until destroyed; returns once it holds it. */
    private Process anotherBuildHoldingTheLock() throws Exception {
        Process holder = new ProcessBuilder("bash", "-c", "exec 9> \"$1\" && flock 9 && echo holding && exec sleep 600",
                "holder", root.resolve("target/.build.lock").toString()).redirectErrorStream(true).start();
        assertEquals("holding", firstLine(holder), "the holder took the lock");
        return holder;
    }

    /** The first line {@code p} prints: what it says first, however long that takes, up to a minute. */
    private static String firstLine(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(1, TimeUnit.MINUTES);
    }

    /** Returns once {@code launcher} waits for the build lock, in a blocking {@code flock 9}; fails after a minute. */
    private static void awaitWaitingForTheLock(Process launcher) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (launcher.descendants().noneMatch(p -> p.info().command().orElse("").endsWith("/flock")
                && List.of("9").equals(List.of(p.info().arguments().orElse(new String[0]))))) {
            assertTrue(launcher.isAlive() && System.nanoTime() < until, "the launcher never waited for the lock");
            Thread.sleep(10);
        }
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
        Process holder = anotherBuildHoldingTheLock();
        try {
            Process upToDate = launcher("");
            // the holder keeps the lock for ten minutes: a launcher that waited for it would still be waiting
            assertTrue(upToDate.waitFor(1, TimeUnit.MINUTES), "the up-to-date launcher waits for the other build");
            String output = new String(upToDate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, upToDate.exitValue(), output);
            assertEquals("", output, "an up-to-date launcher says nothing");
            assertTrue(holder.isAlive(), "it finished while the other build still held the lock: it did not wait");
            assertEquals(1, mavenRuns().size(), mavenRuns().toString());
        } finally {
            holder.destroy();
        }
    }

    @Test
    void aStaleLauncherSaysWhatItWaitsForAndBuildsOnceTheOtherBuildIsOver() throws Exception {
        assertEquals(0, exit(launcher("")));
        Files.delete(jar);
        Process holder = anotherBuildHoldingTheLock();
        Process waiting;
        try {
            waiting = launcher("");
            assertEquals("test-launcher: waiting for another build of this checkout to finish ("
                    + root.resolve("target/.build.lock") + ")", firstLine(waiting));
            awaitWaitingForTheLock(waiting);
            assertEquals(1, mavenRuns().size(), "no build while the other one holds the lock: " + mavenRuns());
        } finally {
            holder.destroy();
        }
        String rest = new String(waiting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, waiting.waitFor(), rest);
        assertEquals(2, mavenRuns().size(), mavenRuns().toString());
        assertTrue(Files.exists(jar));
    }
}
