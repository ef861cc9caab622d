package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.ModelInfo;
import org.ncf4j.api.v1.ModelInfoRequest;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ReloadRequest;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.data.Directories;

/**
 * Under concurrent load, with the default version policy (latest:1): a new version replaces the old one without a
 * failed call, a corrupt version is refused while the loaded one keeps answering, and removing the serving version
 * brings the previous one back.
 */
@MicronautTest
class HotReloadTest extends ServerTestBase {
    private Path dir;

    @Override
    protected TestServers.Setup createServer() {
        TestServers.Setup setup = TestServers.create(true, Map.of());
        dir = setup.dir();
        return setup;
    }

    @Test
    void versionsSwapUnderLoadWithoutAFailedCall() throws Exception {
        RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        Set<Long> versions = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            load.add(clients.submit(() -> {
                // bounded: stops when told, or after 30 s whatever happens
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (running.get() && System.nanoTime() < end) {
                    if (client % 2 == 0) {
                        versions.add(stub.recommend(RecommendRequest.newBuilder().setUser("u" + client).setK(5)
                                .build()).getModel().getVersion());
                    } else {
                        versions.add(stub.score(ScoreRequest.newBuilder().addUsers("u1").addItems("i2").build())
                                .getModel().getVersion());
                    }
                    calls.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            awaitMoreCalls(calls, 40, load); // on version 1
            TestBundles.write(dir.resolve("models/demo/2"), 2);
            var swapped = stub.reload(ReloadRequest.getDefaultInstance()).getModels(0);
            assertEquals(List.of(2L), swapped.getLoadedList());
            assertEquals(List.of(1L), swapped.getAvailableList());
            awaitMoreCalls(calls, 40, load); // on version 2, but for those in flight during the swap
            // a corrupt version 3 is refused; version 2 keeps answering
            Path corrupt = dir.resolve("models/demo/3");
            Files.createDirectories(corrupt);
            for (String f : BundleFiles.REQUIRED) {
                Files.copy(dir.resolve("models/demo/2").resolve(f), corrupt.resolve(f));
            }
            Files.copy(dir.resolve("models/demo/2/card.json"), corrupt.resolve("card.json"));
            Files.writeString(corrupt.resolve(BundleFiles.USERS), "tampered\n");
            var after = stub.reload(ReloadRequest.getDefaultInstance()).getModels(0);
            assertTrue(after.getFailedMap().get(3L).contains("users.txt does not match its SHA-256"),
                    after.toString());
            ModelInfo info = stub.getModelInfo(ModelInfoRequest.getDefaultInstance());
            assertEquals(2, info.getModel().getVersion());
            assertTrue(info.getLastError().contains("version 3"), info.getLastError());
            // the serving version removed from disk: the latest one left (1) takes over while calls go on
            Directories.deleteTree(dir.resolve("models/demo/2"));
            assertEquals(List.of(1L), stub.reload(ReloadRequest.getDefaultInstance()).getModels(0)
                    .getLoadedList());
            awaitMoreCalls(calls, 40, load); // on version 1 again
        } finally {
            running.set(false);
        }
        for (Future<?> f : load) {
            f.get(60, TimeUnit.SECONDS); // rethrows the first failed call of each client
        }
        clients.shutdown();
        assertTrue(calls.get() > 100, "only " + calls.get() + " calls");
        assertTrue(versions.containsAll(Set.of(1L, 2L)), versions.toString());
        assertFalse(versions.contains(3L));
        assertEquals(1, stub.score(ScoreRequest.newBuilder().setModel(ModelSpec.newBuilder().setName("demo"))
                .addUsers("u0").addItems("i0").build()).getModel().getVersion());
    }

    /**
     * Lets the load go on until {@code more} further calls have been answered, or a client has stopped (its
     * failure is reported when its future is read).
     */
    private static void awaitMoreCalls(AtomicInteger calls, int more, List<Future<?>> load) {
        int until = calls.get() + more;
        Await.until(more + " more calls are answered", Duration.ofSeconds(30),
                () -> calls.get() >= until || load.stream().anyMatch(Future::isDone));
    }
}
