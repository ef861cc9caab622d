package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.server.metrics.ServingMetrics;

/**
 * Stopping the server: health watchers are told NOT_SERVING and their streams closed (an open watch must not hold
 * the server), a call in flight still gets its answer, and only then does the server go away (new calls are
 * UNAVAILABLE), its I/O threads with it.
 */
class GracefulShutdownTest {
    @Test
    void aCallInFlightFinishesWhileTheServerStops() throws Exception {
        // the Recommend batcher holds a call for the queue delay, so it is reliably in flight when the stop begins
        TestServers.Setup setup = TestServers.create(true, Map.of("ncf.max-queue-delay", "1500ms",
                "grpc.server.await-termination", "20s"));
        ManagedChannel channel = setup.channel();
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, new HashMap<>(setup.properties()));
        try {
            HealthWatch watch = HealthWatch.open(channel);
            assertEquals(ServingStatus.SERVING, watch.statuses.poll(10, TimeUnit.SECONDS));

            RecommendRequest request = RecommendRequest.newBuilder().setUser("u1").setK(3).build();
            ListenableFuture<RecommendResponse> inFlight = RecommenderGrpc.newFutureStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).recommend(request);
            ServingMetrics metrics = server.getApplicationContext().getBean(ServingMetrics.class);
            Await.until("the call has reached the server", Duration.ofSeconds(10),
                    () -> metrics.inFlight() >= 2); // the watch and the call
            assertFalse(inFlight.isDone(), "the call should still wait in the batcher");

            assertTrue(ioThreads() > 0, "the server does not serve on its own event loops (grpc-io)");
            long t0 = System.nanoTime();
            server.getApplicationContext().close();
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "the open watch held the server");

            assertEquals(ServingStatus.NOT_SERVING, watch.statuses.poll(10, TimeUnit.SECONDS));
            assertEquals(Status.Code.UNAVAILABLE, watch.end.get(10, TimeUnit.SECONDS).getCode());
            assertEquals(3, inFlight.get(10, TimeUnit.SECONDS).getItemsCount());
            StatusRuntimeException after = assertThrows(StatusRuntimeException.class, () -> RecommenderGrpc
                    .newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).recommend(request));
            assertEquals(Status.Code.UNAVAILABLE, after.getStatus().getCode());
            // the transport's I/O threads ended with the context: none waits in epoll when the JVM exits
            assertEquals(0, ioThreads(), "gRPC event loop threads outlived the context");
        } finally {
            if (server.getApplicationContext().isRunning()) {
                server.getApplicationContext().close();
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static long ioThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && (t.getName().startsWith(
                "grpc-io") || t.getName().startsWith("grpc-boss"))).count();
    }
}
