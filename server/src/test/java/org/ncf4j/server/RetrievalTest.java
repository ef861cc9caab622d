package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.ncf4j.api.v1.ModelInfo;
import org.ncf4j.api.v1.ModelInfoRequest;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.Ranking;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoredItem;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;

/**
 * Recommend through retrieval, over gRPC: the server's default (ncf.retrieval on here), a request's choice of
 * ranking and C, what GetModelInfo says, and the status of every request retrieval cannot serve.
 */
@MicronautTest
class RetrievalTest extends ServerTestBase {
    private RecommenderGrpc.RecommenderBlockingStub stub;
    private String metricsUrl;

    @Override
    protected TestServers.Setup createServer() {
        TestServers.Setup setup = TestServers.create(true, Map.of("ncf.retrieval", "on",
                "ncf.retrieval-candidates", "6", "ncf.retrieval-recall-check", "1ms"));
        metricsUrl = "http://127.0.0.1:" + setup.properties().get("micronaut.server.port") + "/prometheus";
        Path mlp = setup.dir().resolve("models/mlp/1");
        TestBundles.write(mlp, new ModelShape(Variant.MLP, TestBundles.USERS, TestBundles.ITEMS, 4,
                new int[] {8, 4}), 2);
        stub = RecommenderGrpc.newBlockingStub(setup.channel());
        return setup;
    }

    private static RecommendRequest.Builder request(String user, int k) {
        return RecommendRequest.newBuilder().setModel(ModelSpec.newBuilder().setName("demo")).setUser(user).setK(k);
    }

    private static List<String> items(RecommendResponse r) {
        return r.getItemsList().stream().map(ScoredItem::getItem).toList();
    }

    private static Status status(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus();
    }

    @Test
    void modelInfoSaysWhetherAndHowAModelRetrieves() {
        ModelInfo demo = stub.getModelInfo(ModelInfoRequest.newBuilder().setModel(ModelSpec.newBuilder()
                .setName("demo")).build());
        assertTrue(demo.getRetrieval().getAvailable());
        assertTrue(demo.getRetrieval().getByDefault());
        assertEquals(6, demo.getRetrieval().getCandidates());
        assertTrue(demo.getRetrieval().getIndex().startsWith("Lucene "), demo.getRetrieval().getIndex());
        ModelInfo mlp = stub.getModelInfo(ModelInfoRequest.newBuilder().setModel(ModelSpec.newBuilder()
                .setName("mlp")).build());
        assertFalse(mlp.getRetrieval().getAvailable());
        assertFalse(mlp.getRetrieval().getByDefault());
        assertTrue(mlp.getRetrieval().getIndex().contains("no inner-product part"), mlp.getRetrieval().getIndex());
    }

    @Test
    void eachAnswerSaysHowItWasRankedAndEveryItemAsCandidateGivesTheExactAnswer() {
        for (int u = 0; u < TestBundles.USERS; u += 7) {
            String user = "u" + u;
            RecommendResponse byDefault = stub.recommend(request(user, 4).build());
            assertEquals(Ranking.RANKING_RETRIEVAL, byDefault.getRankedBy());
            assertEquals(4, byDefault.getItemsCount());
            RecommendResponse exact = stub.recommend(request(user, 4).setRanking(Ranking.RANKING_EXACT).build());
            assertEquals(Ranking.RANKING_EXACT, exact.getRankedBy());
            RecommendResponse all = stub.recommend(request(user, 4).setRanking(Ranking.RANKING_RETRIEVAL)
                    .setRetrievalCandidates(TestBundles.ITEMS).build());
            assertEquals(Ranking.RANKING_RETRIEVAL, all.getRankedBy());
            assertEquals(items(exact), items(all), user);
        }
        RecommendResponse listed = stub.recommend(request("u1", 2).addCandidates("i1").addCandidates("i2")
                .addCandidates("i3").build());
        assertEquals(Ranking.RANKING_EXACT, listed.getRankedBy());
        RecommendResponse stranger = stub.recommend(request("nobody", 2).build());
        assertTrue(stranger.getPopularityFallback());
        assertEquals(Ranking.RANKING_DEFAULT, stranger.getRankedBy());
    }

    @Test
    void recallAsItServesIsCheckedAgainstTheExactRankingAndShownInTheMetrics() throws Exception {
        for (int u = 0; u < TestBundles.USERS; u++) {
            stub.recommend(request("u" + u, 3).setRetrievalCandidates(TestBundles.ITEMS).build());
            Thread.sleep(2); // the checks' thread takes one check at a time: give it the time to take the next
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        String count = null;
        while (System.nanoTime() < deadline) {
            count = Prometheus.scrape(metricsUrl).lines().filter(l -> l.startsWith("ncf_retrieval_recall_count{")
                    && l.contains("model=\"demo\"")).findFirst().orElse(null);
            if (count != null) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(count != null, "no ncf_retrieval_recall_count for demo");
        String metrics = Prometheus.scrape(metricsUrl);
        double n = value(metrics, "ncf_retrieval_recall_count{");
        double sum = value(metrics, "ncf_retrieval_recall_sum{");
        assertTrue(n >= 1, metrics);
        // every item was a candidate: retrieval's answers are the exact ones
        assertEquals(n, sum, 1e-9, "recall of each check is 1");
    }

    private static double value(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix) && l.contains("model=\"demo\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void aBatchMayMixRankingsAndEachAnswerIsRankedAsAsked() {
        RecommendBatchRequest batch = RecommendBatchRequest.newBuilder()
                .addRequests(request("u3", 3).setRanking(Ranking.RANKING_EXACT))
                .addRequests(request("u3", 3).setRanking(Ranking.RANKING_RETRIEVAL).setRetrievalCandidates(
                        TestBundles.ITEMS))
                .addRequests(request("u5", 3)).build();
        var answers = stub.recommendBatch(batch).getResponsesList();
        assertEquals(Ranking.RANKING_EXACT, answers.get(0).getRankedBy());
        assertEquals(Ranking.RANKING_RETRIEVAL, answers.get(1).getRankedBy());
        assertEquals(Ranking.RANKING_RETRIEVAL, answers.get(2).getRankedBy());
        assertEquals(items(answers.get(0)), items(answers.get(1)));
    }

    @Test
    void requestsRetrievalCannotServeAreInvalidArgumentsNamingWhatWasWrong() {
        Status negative = status(() -> stub.recommend(request("u1", 3).setRetrievalCandidates(-1).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, negative.getCode());
        assertTrue(negative.getDescription().contains("retrieval_candidates must be between 1 and 100000"),
                negative.getDescription());
        Status tooMany = status(() -> stub.recommend(request("u1", 3).setRetrievalCandidates(100_001).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, tooMany.getCode());
        Status both = status(() -> stub.recommend(request("u1", 3).setRanking(Ranking.RANKING_EXACT)
                .setRetrievalCandidates(10).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, both.getCode());
        assertTrue(both.getDescription().contains("exact"), both.getDescription());
        Status unknown = status(() -> stub.recommend(request("u1", 3).setRankingValue(7).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getCode());
        assertTrue(unknown.getDescription().contains("unknown ranking 7"), unknown.getDescription());
        Status mlp = status(() -> stub.recommend(RecommendRequest.newBuilder().setModel(ModelSpec.newBuilder()
                .setName("mlp")).setUser("u1").setK(3).setRanking(Ranking.RANKING_RETRIEVAL).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, mlp.getCode());
        assertTrue(mlp.getDescription().contains("cannot rank through retrieval"), mlp.getDescription());
        Status inBatch = status(() -> stub.recommendBatch(RecommendBatchRequest.newBuilder()
                .addRequests(request("u1", 3)).addRequests(request("u2", 3).setRetrievalCandidates(-5)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, inBatch.getCode());
        assertTrue(inBatch.getDescription().startsWith("request 1: "), inBatch.getDescription());
        // an MLP model still answers by default: exactly
        RecommendResponse exact = stub.recommend(RecommendRequest.newBuilder().setModel(ModelSpec.newBuilder()
                .setName("mlp")).setUser("u1").setK(3).build());
        assertEquals(Ranking.RANKING_EXACT, exact.getRankedBy());
    }
}
