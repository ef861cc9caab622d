package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;

/** The server as a process of its own: how it starts, says it is ready, and stops. */
class ServerProcessTest {
    static final int ROUNDS = Integer.getInteger("ncf.sigterm.rounds", 20);

    /**
     * SIGTERM under concurrent load with an open health watch, {@link #ROUNDS} times: the exit code is 143 every
     * time, no JVM crash file appears, every call gets OK or UNAVAILABLE (the server refused it before admitting
     * it), the server reports that every call in flight finished, the watch is told NOT_SERVING and closed, and
     * the process is gone within 2 s of the last answered call.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void sigtermUnderLoadWithAnOpenWatchStopsCleanlyEveryTime(@TempDir Path dir) throws Exception {
        // large enough that model runs are in progress when the signal comes (about 0.1 ms each)
        TestBundles.write(dir.resolve("models/demo/1"), new ModelShape(Variant.NEUMF, 2000, 3000, 8,
                new int[] {32, 16, 8}), 1);
        SplittableRandom random = new SplittableRandom(7);
        List<String> report = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Path errors = Files.createDirectories(dir.resolve("round-" + round));
            try (ServerProcess server = ServerProcess.start(dir.resolve("models"), errors)) {
                assertTrue(server.awaitReady(60), "not ready:\n" + server.log());
                report.add(round(server, random.nextInt(200, 700), errors));
            }
        }
        System.out.println("SIGTERM rounds (calls answered OK / refused UNAVAILABLE / exit ms after the last "
                + "answer):\n  " + String.join("\n  ", report));
    }

    private static String round(ServerProcess server, int loadMillis, Path errors) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port).usePlaintext().build();
        try {
            HealthWatch watch = HealthWatch.open(channel);
            var stub = RecommenderGrpc.newBlockingStub(channel);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong lastOk = new AtomicLong();
            AtomicInteger ok = new AtomicInteger();
            Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
            ExecutorService load = Executors.newFixedThreadPool(6);
            for (int c = 0; c < 6; c++) {
                int client = c;
                load.submit(() -> {
                    SplittableRandom r = new SplittableRandom(client);
                    while (!stop.get()) {
                        try {
                            String user = "u" + r.nextInt(2000);
                            if (client % 3 == 0) {
                                stub.withDeadlineAfter(10, TimeUnit.SECONDS).score(ScoreRequest.newBuilder()
                                        .addUsers(user).addItems("i" + r.nextInt(3000)).build());
                            } else {
                                stub.withDeadlineAfter(10, TimeUnit.SECONDS).recommend(RecommendRequest.newBuilder()
                                        .setUser(user).setK(10).build());
                            }
                            ok.incrementAndGet();
                            lastOk.set(System.nanoTime());
                        } catch (StatusRuntimeException e) {
                            failures.computeIfAbsent(e.getStatus().getCode() + ": "
                                    + e.getStatus().getDescription() + (e.getCause() == null ? ""
                                    : " (" + e.getCause() + ")"), k -> new AtomicInteger()).incrementAndGet();
                            if (!server.process.isAlive()) {
                                return null;
                            }
                            Thread.sleep(1); // as a client backs off before it retries

                        }
                    }
                    return null;
                });
            }
            // the load is running (this JVM's first connection can take a second to set up; if no call succeeds,
            // the checks below say so with the server's output), then it goes on for the round's chosen time, so
            // that the signal finds the server at a different point in each round
            Await.holdsWithin(Duration.ofSeconds(30), () -> ok.get() >= 100);
            Thread.sleep(loadMillis);
            int before = ok.get();
            server.process.toHandle().destroy(); // SIGTERM (Process.destroy would also close the output)
            int code = server.awaitExit(30);
            long exitedAt = System.nanoTime();
            stop.set(true);
            load.shutdown();
            assertTrue(load.awaitTermination(30, TimeUnit.SECONDS));
            String log = server.log();
            assertEquals(143, code, "exit code; the server's output:\n" + log);
            try (Stream<Path> crashes = Files.list(errors)) {
                assertEquals(List.of(), crashes.toList(), "the JVM crashed:\n" + log);
            }
            assertTrue(before > 0, "no call succeeded before the signal:\n" + log + "\n" + failures);
            for (String f : failures.keySet()) {
                assertTrue(f.startsWith("UNAVAILABLE"), "a call failed otherwise than refused: " + f + "\n" + log);
            }
            assertTrue(log.contains("every call in flight finished"), "calls were cut off:\n" + log);
            assertFalse(log.contains("ERROR"), log);
            assertEquals(Status.Code.UNAVAILABLE, watch.end.get(5, TimeUnit.SECONDS).getCode(), "the watch's end");
            List<HealthCheckResponse.ServingStatus> watched = new ArrayList<>(watch.statuses);
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, watched.get(0));
            assertEquals(HealthCheckResponse.ServingStatus.NOT_SERVING, watched.get(watched.size() - 1),
                    watched.toString());
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(exitedAt - lastOk.get());
            assertTrue(exitMillis < 2000, "exited " + exitMillis + " ms after the last answered call:\n" + log);
            int refused = failures.values().stream().mapToInt(AtomicInteger::get).sum();
            return ok.get() + " / " + refused + " / " + exitMillis;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A stop signal while a version loads ends the process within 2 s, with 143: while the server starts (before it
     * is ready) and while a running server loads a new version on a poll, which it abandons. The bundle, a catalogue
     * of 200,000 items, takes seconds to check and time at load.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void sigtermDuringALoadExitsWithinTwoSeconds(@TempDir Path dir) throws Exception {
        Path big = TestBundles.write(dir.resolve("staging/big"), new ModelShape(Variant.NEUMF, 20_000, 200_000, 8,
                new int[] {64, 32, 16, 8}), 1);
        Files.createDirectories(dir.resolve("starting/demo"));
        Files.createSymbolicLink(dir.resolve("starting/demo/1"), big);
        try (ServerProcess server = ServerProcess.start(dir.resolve("starting"), dir)) {
            String line = "model demo version 1: ONNX Runtime sessions open";
            Await.until("the load's second step", Duration.ofSeconds(120), () -> server.log().contains(line)
                    || !server.process.isAlive());
            long t0 = System.nanoTime();
            server.process.toHandle().destroy();
            assertEquals(143, server.awaitExit(30), server.log());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis < 2000, "exited " + millis + " ms after the signal:\n" + server.log());
            assertTrue(server.log().contains("ncf-server: stop signal while starting (loading models): exiting now"),
                    server.log());
            assertFalse(server.log().contains(" ready in "), server.log());
        }

        TestBundles.write(dir.resolve("running/demo/1"), 1);
        try (ServerProcess server = ServerProcess.start(dir.resolve("running"), dir, "ncf.poll-interval=200ms")) {
            assertTrue(server.awaitReady(60), server.log());
            Files.createSymbolicLink(dir.resolve("running/demo/2"), big);
            String line = "model demo version 2: ONNX Runtime sessions open";
            Await.until("the load's second step", Duration.ofSeconds(120), () -> server.log().contains(line)
                    || !server.process.isAlive());
            long t0 = System.nanoTime();
            server.process.toHandle().destroy();
            assertEquals(143, server.awaitExit(30), server.log());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis < 2000, "exited " + millis + " ms after the signal:\n" + server.log());
            assertTrue(server.log().contains("abandoned loading model demo version 2"), server.log());
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void badSettingsStopTheStartWithOneLineEachAndExitCode2(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, dir, "ncf.max-batch-size=0",
                "ncf.version-policy=newest", "ncf.ranking-memory-mb=-1", "ncf.ranking-kernel=gpu")) {
            assertEquals(2, server.awaitExit(60), server.log());
            String log = server.log();
            assertTrue(log.contains("ncf-server: cannot start with these settings:"), log);
            assertTrue(log.contains("  ncf.max-batch-size is 0, expected at least 1"), log);
            assertTrue(log.contains("  ncf.version-policy: 'newest' is not a version policy"), log);
            assertTrue(log.contains("  ncf.ranking-memory-mb is -1, expected at least 1"), log);
            assertTrue(log.contains("  ncf.ranking-kernel is 'gpu', expected auto, onnx or fused"), log);
            assertFalse(log.contains("\tat "), "a stack trace:\n" + log);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPortInUseStopsTheStartWithOneLineAndExitCode1(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0); ServerSocket http = new ServerSocket(0)) {
            int httpPort = http.getLocalPort();
            http.close();
            try (ServerProcess server = ServerProcess.start(dir, dir, taken.getLocalPort(), httpPort)) {
                assertEquals(1, server.awaitExit(60), server.log());
                String log = server.log();
                assertTrue(log.contains("ncf-server: cannot start: "), log);
                assertTrue(log.contains("choose others with GRPC_SERVER_PORT and HTTP_PORT"), log);
                assertFalse(log.contains("\tat "), "a stack trace:\n" + log);
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theReadyLineNamesThePortsAndTheModels(@TempDir Path dir) throws Exception {
        TestBundles.write(dir.resolve("models/demo/3"), 1);
        try (ServerProcess server = ServerProcess.start(dir.resolve("models"), dir)) {
            assertTrue(server.awaitReady(60), server.log());
            String ready = server.output.stream().filter(l -> l.contains(" ready in ")).findFirst().orElseThrow();
            assertTrue(ready.contains("gRPC on port " + server.port), ready);
            assertTrue(ready.contains("HTTP (metrics /prometheus, health /health, /v2) on port " + server.httpPort), ready);
            assertTrue(ready.contains("models: demo [3]"), ready);
            server.process.toHandle().destroy();
            assertEquals(143, server.awaitExit(30));
        }
    }
}
