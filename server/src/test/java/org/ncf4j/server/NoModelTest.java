package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
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
        TestServers.Setup setup = TestServers.create(false, Map.of());
        try {
            // a version directory that is not a bundle is refused, not served
            java.nio.file.Files.createDirectories(setup.dir().resolve("models/demo/1"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        channel = setup.channel();
        return setup.properties();
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
