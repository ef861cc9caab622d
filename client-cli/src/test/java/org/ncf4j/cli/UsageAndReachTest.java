package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes without a server's answer: bad usage is 2, an unreachable server or a passed deadline 3. */
class UsageAndReachTest {
    @TempDir
    Path dir;

    private static void noStackTrace(Cli c) {
        assertFalse(c.err().contains("\tat ") || c.err().contains("Exception"), "no stack trace: " + c.err());
    }

    @Test
    void badUsageExitsTwoWithOneLine() throws IOException {
        for (String[] args : List.of(new String[] {"recommend"}, new String[] {"recommend", "u1", "-k", "ten"},
                new String[] {"nosuchcommand"}, new String[] {"score"}, new String[] {"score", "nocolon"},
                new String[] {"recommend", "u1", "--model", "demo:x"}, new String[] {"recommend", "u1", "--deadline",
                    "soon"}, new String[] {"evaluate", dir.resolve("missing.negative").toString()},
                new String[] {"batch", "--users", dir.resolve("missing.txt").toString()},
                new String[] {"recommend", "u1", "--cert", "c.pem"}, new String[] {"evaluate", "x", "--protocol",
                    "exact"}, new String[] {"bench", "--mix", "recommend=1"})) {
            Cli c = Cli.run(args);
            assertEquals(2, c.code(), String.join(" ", args) + ": " + c);
            assertTrue(c.err().startsWith("ncf: "), c.toString());
            noStackTrace(c);
        }
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n\n");
        Cli noIds = Cli.run("batch", "--users", empty.toString());
        assertEquals(2, noIds.code(), noIds.toString());
        assertTrue(noIds.message().endsWith("empty.txt lists no ids"), noIds.message());
        Cli notARun = Cli.run("evaluate", dir.toString());
        assertEquals(2, notARun.code(), notARun.toString());
        assertTrue(notARun.message().contains("holds no test.negative"), notARun.message());
        Path heldOut = Files.writeString(dir.resolve("test.negative"), "(u1,i2)\ti3\n");
        Cli noExclude = Cli.run("evaluate", heldOut.toString(), "--protocol", "full", "--exclude",
                dir.resolve("missing").toString());
        assertEquals(2, noExclude.code(), noExclude.toString());
        assertTrue(noExclude.message().startsWith("ncf: --exclude "), noExclude.message());
        // ncf bench's own settings, refused before it connects (the target is unreachable)
        Path users = Files.writeString(dir.resolve("users.txt"), "u1\nu2\n");
        Path items = Files.writeString(dir.resolve("items.txt"), "i1\n");
        for (List<String> bench : List.of(
                List.of("--rate", "0", "--rate takes calls per second above 0"),
                List.of("--batch-users", "0", "--batch-users must be at least 1"),
                List.of("--infer-contents", "json", "--infer-contents takes raw or typed"),
                List.of("--mix", "infer-topk=1", "ModelInfer names its model: give --model"))) {
            Cli b = Cli.run("bench", "--target", "127.0.0.1:1", "--users", users.toString(), "--items",
                    items.toString(), bench.get(0), bench.get(1));
            assertEquals(2, b.code(), bench + ": " + b);
            assertTrue(b.message().contains(bench.get(2)), b.message());
            noStackTrace(b);
        }
        Path bad = dir.resolve("bad.negative");
        Files.writeString(bad, "(u1,i2)\ti3\nnot a row\n");
        Cli c = Cli.run("evaluate", bad.toString(), "--target", "127.0.0.1:1");
        assertEquals(2, c.code(), c.toString());
        assertTrue(c.message().contains("bad.negative:2"), c.message());
    }

    @Test
    void anUnreachableServerExitsThree() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli c = Cli.run("recommend", "u1", "--target", "127.0.0.1:" + port, "--deadline", "5s");
        assertEquals(3, c.code(), c.toString());
        assertTrue(c.message().startsWith("ncf: UNAVAILABLE from 127.0.0.1:" + port), c.message());
        noStackTrace(c);
    }

    @Test
    void aPassedDeadlineExitsThree() throws Exception {
        // a listener that accepts connections and never answers
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            t.setDaemon(true);
            t.start();
            Cli c = Cli.run("models", "--target", "127.0.0.1:" + silent.getLocalPort(), "--deadline", "300ms");
            assertEquals(3, c.code(), c.toString());
            assertTrue(c.message().startsWith("ncf: DEADLINE_EXCEEDED from 127.0.0.1:"), c.message());
            noStackTrace(c);
        }
    }

    @Test
    void theTargetComesFromTheEnvironmentByDefault() {
        // picocli resolves ${env:NCF_TARGET}; without it the default is localhost:50051
        Cli help = Cli.run("recommend", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("NCF_TARGET"), help.out());
    }

    @Test
    void completionScriptsAreGenerated() {
        Cli c = Cli.run("generate-completion");
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.out().contains("complete -F") && c.out().contains("recommend"), "a bash completion script");
    }

    @Test
    void aDnsTargetBalancesOverEveryAddress() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            Cli c = Cli.run("models", "--target", "dns:///localhost:" + server.port);
            // localhost may resolve to ::1 as well, where nothing listens: round robin skips what fails
            assertEquals(0, c.code(), c.toString());
        }
    }
}
