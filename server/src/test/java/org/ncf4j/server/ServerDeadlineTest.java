package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.ListModelsRequest;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;

/**
 * A call whose deadline passes while it waits in the server's batching queue is answered DEADLINE_EXCEEDED by the
 * server too (not only by the client's own timer), and later calls are unaffected.
 */
@MicronautTest
class ServerDeadlineTest extends ServerTestBase {
    private String metricsUrl;

    @Override
    protected TestServers.Setup createServer() {
        // each Recommend waits 1 s in the batcher for company: longer than the deadline below
        TestServers.Setup setup = TestServers.create(true, Map.of("ncf.max-queue-delay", "1000ms"));
        metricsUrl = "http://127.0.0.1:" + setup.properties().get("micronaut.server.port") + "/prometheus";
        return setup;
    }

    private String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aDeadlineThatPassesInTheQueueIsAnsweredByTheServer() throws Exception {
        var stub = RecommenderGrpc.newBlockingStub(channel);
        RecommendRequest request = RecommendRequest.newBuilder().setUser("u2").setK(3).build();
        // connect first: on a busy machine, setting up the connection can take longer than the deadline below,
        // and the call would then fail in the client without ever reaching the server
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance());
        long t0 = System.nanoTime();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub
                .withDeadlineAfter(200, TimeUnit.MILLISECONDS).recommend(request));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(900), "waited for the queue delay");
        String line = "ncf_requests_total{rpc=\"Recommend\",status=\"DEADLINE_EXCEEDED\"} 1.0";
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String metrics = scrape();
        while (!metrics.contains(line) && System.nanoTime() < until) {
            Thread.sleep(50);
            metrics = scrape();
        }
        assertTrue(metrics.contains(line), metrics);
        assertEquals(3, stub.withDeadlineAfter(10, TimeUnit.SECONDS).recommend(request).getItemsCount());
    }
}
