package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;

/** A server whose repository holds no valid model: NOT_SERVING, and calls get UNAVAILABLE. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoModelTest implements TestPropertyProvider {
    private ManagedChannel channel;

    @Override
    public Map<String, String> getProperties() {
        int port;
        String repository;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
            var dir = Files.createTempDirectory("ncf-empty");
            // a version directory that is not a bundle is refused, not served
            Files.createDirectories(dir.resolve("demo/1"));
            repository = dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        return Map.of("ncf.repository", repository, "grpc.server.port", Integer.toString(port),
                "ncf.execution-provider", "cpu");
    }

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void healthIsNotServingAndCallsAreUnavailable() {
        assertEquals(HealthCheckResponse.ServingStatus.NOT_SERVING,
                HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> RecommenderGrpc
                .newBlockingStub(channel).recommend(RecommendRequest.newBuilder().setUser("u").setK(1).build()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("card.json is missing"), e.getStatus().toString());
    }
}
