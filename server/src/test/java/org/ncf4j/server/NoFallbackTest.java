package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;

/** With the popularity fallback switched off, an unknown user is NOT_FOUND. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoFallbackTest implements TestPropertyProvider {
    private ManagedChannel channel;

    @Override
    public Map<String, String> getProperties() {
        TestServers.Setup setup = TestServers.create(true, Map.of("ncf.popularity-fallback", "false"));
        channel = setup.channel();
        return setup.properties();
    }

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void anUnknownUserIsNotFound() {
        var stub = RecommenderGrpc.newBlockingStub(channel);
        assertEquals(3, stub.recommend(RecommendRequest.newBuilder().setUser("u1").setK(3).build()).getItemsCount());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.recommend(
                RecommendRequest.newBuilder().setUser("stranger").setK(3).build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("unknown user 'stranger'"), e.getStatus().toString());
    }
}
