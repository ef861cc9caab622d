package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;

/** With the popularity fallback switched off, an unknown user is NOT_FOUND. */
@MicronautTest
class NoFallbackTest extends ServerTestBase {

    @Override
    protected TestServers.Setup createServer() {
        return TestServers.create(true, Map.of("ncf.popularity-fallback", "false"));
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
