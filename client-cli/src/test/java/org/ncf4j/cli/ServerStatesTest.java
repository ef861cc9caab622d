package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.BundleFiles;

/** Commands against a server with no model, one that stops while watched, and load tests without a bundle. */
class ServerStatesTest {
    @TempDir
    Path dir;

    @Test
    void aServerWithoutAModelAnswersUnavailableWhichExitsThree() throws Exception {
        try (TestServer server = TestServer.start(Map.of("ncf.repository", dir.toString()))) {
            Cli c = Cli.run("recommend", "u1", "--target", server.target());
            assertEquals(3, c.code(), c.toString());
            assertTrue(c.message().startsWith("ncf: UNAVAILABLE from " + server.target() + ": "), c.message());
            Cli health = Cli.run("health", "--target", server.target());
            assertEquals(1, health.code(), health.toString());
            assertTrue(health.out().contains("server: NOT_SERVING"), health.out());
            Cli models = Cli.run("models", "--target", server.target());
            assertEquals(0, models.code(), models.toString());
            assertTrue(models.out().contains("no models"), models.out());
        }
    }

    @Test
    void aWatchPrintsEachChangeUntilTheServerStops() throws Exception {
        TestServer server = TestServer.start(Map.of());
        Transcript out = new Transcript();
        Transcript err = new Transcript();
        CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> Ncf.run(new PrintWriter(out, true),
                new PrintWriter(err, true), "health", "--watch", "--target", server.target()));
        try {
            out.await("server: SERVING\n", 30);
        } finally {
            server.close();
        }
        int code = watch.get(30, TimeUnit.SECONDS);
        assertTrue(out.toString().contains("server: NOT_SERVING\n"), "the stop is seen: " + out);
        assertEquals(3, code, "the stream ends UNAVAILABLE: " + err);
    }

    @Test
    void benchDrawsIdsFromFilesForARemoteServer() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            Path users = server.bundle.resolve(BundleFiles.USERS);
            Path items = server.bundle.resolve(BundleFiles.ITEMS);
            assertTrue(Files.isRegularFile(users) && Files.isRegularFile(items));
            Cli c = Cli.run("bench", "--target", server.target(), "--users", users.toString(), "--items",
                    items.toString(), "--mix", "recommend=1,score=1", "--pairs", "5", "-n", "40", "--warmup", "0");
            assertEquals(0, c.code(), c.toString());
            assertTrue(c.out().contains("40 calls") && c.out().contains("errors none"), c.out());
            Cli noItems = Cli.run("bench", "--target", server.target(), "--users", users.toString(), "--mix",
                    "score=1");
            assertEquals(2, noItems.code(), noItems.toString());
            assertTrue(noItems.message().contains("--items"), noItems.message());
            for (String contents : new String[] {"raw", "typed"}) {
                Cli infer = Cli.run("bench", "--target", server.target(), "--bundle", server.bundle.toString(),
                        "--model", "demo", "--mix", "infer-score=1,infer-topk=1,score=1", "--infer-contents", contents,
                        "--pairs", "5", "-n", "40", "--warmup", "0");
                assertEquals(0, infer.code(), infer.toString());
                assertTrue(infer.out().contains("40 calls") && infer.out().contains("errors none"), infer.out());
            }
            Cli unnamed = Cli.run("bench", "--target", server.target(), "--bundle", server.bundle.toString(), "--mix",
                    "infer-topk=1");
            assertEquals(2, unnamed.code(), unnamed.toString());
            assertTrue(unnamed.message().contains("--model"), unnamed.message());
        }
    }

    /** What a command prints, as it prints it: a test can wait until a text appears. */
    private static final class Transcript extends Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            text.append(chars, offset, length);
            notifyAll();
        }

        /** Returns once {@code expected} has been printed; fails, showing what was, after {@code seconds}. */
        synchronized void await(String expected, int seconds) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (text.indexOf(expected) < 0) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("not printed within " + seconds + " s: " + expected + "; printed:\n"
                            + text);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public synchronized String toString() {
            return text.toString();
        }
    }
}
