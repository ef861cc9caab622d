package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;

/** A server whose repository holds no valid model: NOT_SERVING, and calls get UNAVAILABLE. */
@MicronautTest
class NoModelTest extends ServerTestBase {

    private String healthUrl;

    @Override
    protected TestServers.Setup createServer() {
        TestServers.Setup setup = TestServers.create(false, Map.of());
        healthUrl = "http://127.0.0.1:" + setup.properties().get("micronaut.server.port") + "/health";
        try {
            // a version directory that is not a bundle is refused, not served
            java.nio.file.Files.createDirectories(setup.dir().resolve("models/demo/1"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return setup;
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

    @Test
    void httpHealthAgreesWithGrpcHealth() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(healthUrl)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(503, response.statusCode(), response.body());
    }
}
