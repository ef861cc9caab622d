package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.ListModelsRequest;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;

/**
 * A call whose deadline passes while it waits in the server's batching queue is answered DEADLINE_EXCEEDED and
 * dropped by the server (not only given up by the client's own timer): it never runs, and later calls are
 * unaffected.
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

    private String scrape() {
        return Prometheus.scrape(metricsUrl);
    }

    @Test
    void aDeadlineThatPassesInTheQueueIsAnsweredByTheServerAndTheCallNeverRuns() {
        var stub = RecommenderGrpc.newBlockingStub(channel);
        RecommendRequest request = RecommendRequest.newBuilder().setUser("u2").setK(3).build();
        // connect first: on a busy machine, setting up the connection can take longer than the deadline below,
        // and the call would then fail in the client without ever reaching the server
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub
                .withDeadlineAfter(200, TimeUnit.MILLISECONDS).recommend(request));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        String line = "ncf_requests_total{rpc=\"Recommend\",status=\"DEADLINE_EXCEEDED\"} 1.0";
        Await.until("the call is counted as DEADLINE_EXCEEDED", Duration.ofSeconds(10),
                () -> scrape().contains(line));

        // the server dropped the expired call before it ran: the one Recommend run is the next call's, alone,
        // whether that call came while the expired one's batch still waited for company or after (a run is counted
        // before its calls are answered)
        assertEquals(3, stub.withDeadlineAfter(10, TimeUnit.SECONDS).recommend(request).getItemsCount());
        String metrics = scrape();
        String worker = "{call=\"recommend\",thread=\"worker\"}";
        assertEquals(1.0, value(metrics, "ncf_batch_size_count" + worker), "Recommend runs:\n" + metrics);
        assertEquals(1.0, value(metrics, "ncf_batch_size_sum" + worker), "calls they held:\n" + metrics);
    }

    /** A sample's value in a scrape, or NaN when it is not there. */
    private static double value(String metrics, String sample) {
        return metrics.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(sample.length()).strip())).findFirst().orElse(Double.NaN);
    }
}
