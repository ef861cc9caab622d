package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.ListModelsRequest;
import org.ncf4j.api.v1.ModelInfo;
import org.ncf4j.api.v1.ModelInfoRequest;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;
import org.ncf4j.api.v1.ScoredItem;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.graph.TablePieces;

/**
 * Starts the real server on a random port with a bundle trained here and calls every rpc over gRPC. The repository
 * also holds model {@code pieced}: the same weights with the tables declared in pieces of {@value #PIECE_ROWS} rows.
 */
@MicronautTest
class ServerIntegrationTest extends ServerTestBase {
    private static final int PIECE_ROWS = 7;
    private Path dir;
    private String metricsUrl;
    private RecommenderGrpc.RecommenderBlockingStub stub;

    @Override
    protected TestServers.Setup createServer() {
        TestServers.Setup setup = TestServers.create(true, Map.of("ncf.max-score-pairs", "50",
                "ncf.execution-provider", "auto", "ncf.default-model", "demo"));
        TestBundles.write(setup.dir().resolve("models/pieced/1"), TestBundles.SHAPE, 1,
                TablePieces.ofRows(PIECE_ROWS));
        dir = setup.dir();
        stub = RecommenderGrpc.newBlockingStub(setup.channel());
        metricsUrl = "http://127.0.0.1:" + setup.properties().get("micronaut.server.port") + "/prometheus";
        return setup;
    }

    private static void assertStatus(Status.Code code, String text, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription() != null && e.getStatus().getDescription().contains(text),
                e.getStatus().toString());
    }

    @Test
    void scoresPairsInOrderWithProbabilities() {
        ScoreResponse r = stub.score(ScoreRequest.newBuilder().addUsers("u0").addItems("i0").addUsers("u1")
                .addItems("i5").addUsers("u0").addItems("i0").build());
        assertEquals(3, r.getScoresCount());
        assertEquals(r.getScores(0), r.getScores(2));
        for (float s : r.getScoresList()) {
            assertTrue(s > 0 && s < 1, "score " + s);
        }
        assertEquals(3, r.getLogitsCount());
        for (int j = 0; j < 3; j++) {
            assertEquals(r.getScores(j), 1 / (1 + Math.exp(-r.getLogits(j))), 1e-6, "a score is its logit's sigmoid");
        }
        assertEquals("demo", r.getModel().getName());
        assertEquals(1, r.getModel().getVersion());
    }

    @Test
    void recommendsUnseenItemsBestFirst() throws Exception {
        Bundle bundle = Bundle.read(dir.resolve("models/demo/1"));
        RecommendResponse r = stub.recommend(RecommendRequest.newBuilder().setUser("u2").setK(5).build());
        assertEquals(5, r.getItemsCount());
        assertFalse(r.getPopularityFallback());
        int user = bundle.users().indexOf("u2");
        for (int j = 0; j < r.getItemsCount(); j++) {
            int item = bundle.items().indexOf(r.getItems(j).getItem());
            assertFalse(bundle.seen().contains(user, item), "recommended a seen item");
            if (j > 0) {
                assertTrue(r.getItems(j - 1).getScore() >= r.getItems(j).getScore());
            }
        }
        // the same scores as Score gives for those pairs
        ScoreRequest.Builder pairs = ScoreRequest.newBuilder();
        r.getItemsList().forEach(i -> pairs.addUsers("u2").addItems(i.getItem()));
        ScoreResponse s = stub.score(pairs.build());
        for (int j = 0; j < r.getItemsCount(); j++) {
            assertEquals(s.getScores(j), r.getItems(j).getScore(), 1e-6);
        }
    }

    /**
     * A model whose tables are declared in pieces answers Score and Recommend as the same model with whole tables,
     * for users and items at both ends of every piece (users in 6 pieces, items in 4).
     */
    @Test
    void aModelWithTablesInPiecesAnswersAsTheSameModelWhole() {
        ModelSpec pieced = ModelSpec.newBuilder().setName("pieced").build();
        List<Integer> users = pieceEnds(TestBundles.USERS);
        List<Integer> items = pieceEnds(TestBundles.ITEMS);
        for (int u : users) {
            ScoreRequest.Builder pairs = ScoreRequest.newBuilder();
            items.forEach(i -> pairs.addUsers("u" + u).addItems("i" + i));
            ScoreResponse whole = stub.score(pairs.build());
            ScoreResponse inPieces = stub.score(pairs.setModel(pieced).build());
            assertEquals("pieced", inPieces.getModel().getName());
            for (int j = 0; j < items.size(); j++) {
                assertEquals(whole.getLogits(j), inPieces.getLogits(j), 1e-5, "u" + u + ", i" + items.get(j));
            }
            RecommendRequest.Builder top = RecommendRequest.newBuilder().setUser("u" + u).setK(10).addExclude("i0");
            RecommendResponse want = stub.recommend(top.build());
            RecommendResponse got = stub.recommend(top.setModel(pieced).build());
            assertEquals(want.getItemsList().stream().map(ScoredItem::getItem).toList(),
                    got.getItemsList().stream().map(ScoredItem::getItem).toList(), "u" + u);
            for (int j = 0; j < want.getItemsCount(); j++) {
                assertEquals(want.getItems(j).getScore(), got.getItems(j).getScore(), 1e-6, "u" + u);
            }
        }
    }

    /** The first and last row of each piece of a table of {@code rows} rows. */
    private static List<Integer> pieceEnds(int rows) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int first = 0; first < rows; first += PIECE_ROWS) {
            out.add(first);
            out.add(Math.min(rows, first + PIECE_ROWS) - 1);
        }
        return out;
    }

    @Test
    void aWholeCatalogueListHasNonIncreasingScores() {
        RecommendResponse all = stub.recommend(RecommendRequest.newBuilder().setUser("u5").setK(TestBundles.ITEMS)
                .setIncludeSeen(true).build());
        assertEquals(TestBundles.ITEMS, all.getItemsCount());
        for (int j = 1; j < all.getItemsCount(); j++) {
            assertTrue(all.getItems(j - 1).getScore() >= all.getItems(j).getScore(), "position " + j);
        }
    }

    @Test
    void aLoneCallRunsTheModelOnTheThreadThatReceivedIt() throws Exception {
        String before = scrape();
        for (int i = 0; i < 20; i++) {
            stub.recommend(RecommendRequest.newBuilder().setUser("u" + i).setK(3).build());
        }
        String after = scrape();
        assertEquals(count(before, "ncf_batch_size_count{call=\"recommend\",thread=\"io\"}") + 20,
                count(after, "ncf_batch_size_count{call=\"recommend\",thread=\"io\"}"), after);
        assertEquals(count(before, "ncf_batch_size_count{call=\"recommend\",thread=\"worker\"}"),
                count(after, "ncf_batch_size_count{call=\"recommend\",thread=\"worker\"}"));
    }

    private String scrape() {
        return Prometheus.scrape(metricsUrl);
    }

    private static double count(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(series.length() + 1))).findFirst().orElse(0);
    }

    @Test
    void honoursIncludeSeenCandidatesAndExclusions() {
        RecommendResponse all = stub.recommend(RecommendRequest.newBuilder().setUser("u3").setK(24)
                .setIncludeSeen(true).build());
        assertEquals(24, all.getItemsCount());
        String best = all.getItems(0).getItem();
        RecommendResponse excluded = stub.recommend(RecommendRequest.newBuilder().setUser("u3").setK(3)
                .setIncludeSeen(true).addExclude(best).build());
        assertFalse(excluded.getItemsList().stream().anyMatch(i -> i.getItem().equals(best)));
        RecommendResponse candidates = stub.recommend(RecommendRequest.newBuilder().setUser("u3").setK(2)
                .setIncludeSeen(true).addCandidates("i1").addCandidates("i2").addCandidates("i3").build());
        assertEquals(2, candidates.getItemsCount());
        Set<String> allowed = Set.of("i1", "i2", "i3");
        candidates.getItemsList().forEach(i -> assertTrue(allowed.contains(i.getItem())));
    }

    @Test
    void unknownUsersGetPopularItemsFlaggedAsFallback() {
        RecommendResponse r = stub.recommend(RecommendRequest.newBuilder().setUser("newcomer").setK(3).build());
        assertTrue(r.getPopularityFallback());
        assertEquals(3, r.getItemsCount());
        // the share of training users who interacted with the item: a probability, like the model's scores
        Bundle bundle = Bundle.read(dir.resolve("models/demo/1"));
        int top = bundle.items().indexOf(r.getItems(0).getItem());
        assertEquals(bundle.popularity()[top] / (float) TestBundles.USERS, r.getItems(0).getScore(), 1e-6);
        assertTrue(r.getItems(0).getScore() >= r.getItems(1).getScore());
    }

    @Test
    void aMalformedRequestIsInvalidArgument() {
        for (String method : List.of("ncf.v1.Recommender/Recommend", "ncf.v1.Recommender/Score",
                "ncf.v1.Recommender/Reload")) {
            StatusRuntimeException e = RawCalls.malformed(channel, method);
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), method + ": " + e.getStatus());
            assertTrue(e.getStatus().getDescription().contains("malformed"), e.getStatus().toString());
        }
        assertEquals(2, stub.recommend(RecommendRequest.newBuilder().setUser("u0").setK(2).build())
                .getItemsCount(), "the server still answers");
    }

    @Test
    void recommendsForManyUsersInOneCall() {
        RecommendBatchRequest.Builder b = RecommendBatchRequest.newBuilder();
        for (String u : List.of("u0", "u1", "stranger")) {
            b.addRequests(RecommendRequest.newBuilder().setUser(u).setK(2));
        }
        var r = stub.recommendBatch(b.build());
        assertEquals(3, r.getResponsesCount());
        assertTrue(r.getResponses(2).getPopularityFallback());
        assertFalse(r.getResponses(0).getPopularityFallback());

        // more users than one model run takes (ncf.max-batch-size, 64): answered in order, each as if alone
        RecommendBatchRequest.Builder bulk = RecommendBatchRequest.newBuilder();
        for (int i = 0; i < 150; i++) {
            bulk.addRequests(RecommendRequest.newBuilder().setUser("u" + i % TestBundles.USERS).setK(1 + i % 5));
        }
        var all = stub.recommendBatch(bulk.build());
        assertEquals(150, all.getResponsesCount());
        for (int i = 0; i < 150; i += 37) {
            assertEquals(stub.recommend(bulk.getRequests(i)).getItemsList(), all.getResponses(i).getItemsList(),
                    "user " + i);
        }
    }

    @Test
    void describesAndListsModels() {
        ModelInfo info = stub.getModelInfo(ModelInfoRequest.newBuilder().build());
        assertEquals("neumf", info.getVariant());
        assertEquals(TestBundles.USERS, info.getNumUsers());
        assertEquals("cpu", info.getExecutionProvider());
        assertTrue(info.getMetricsMap().containsKey("hitRate"), info.getMetricsMap().toString());
        var models = stub.listModels(ListModelsRequest.getDefaultInstance());
        assertEquals("demo", models.getModels(0).getName());
        assertTrue(models.getModels(0).getLoadedList().contains(1L));
    }

    @Test
    void badRequestsGetInvalidArgumentNamingTheProblem() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "k must be between 1 and the number of items",
                () -> stub.recommend(RecommendRequest.newBuilder().setUser("u0").setK(0).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "k must be between 1 and the number of items (24), got 25",
                () -> stub.recommend(RecommendRequest.newBuilder().setUser("u0").setK(25).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "the batch is empty",
                () -> stub.score(ScoreRequest.getDefaultInstance()));
        ScoreRequest.Builder big = ScoreRequest.newBuilder();
        for (int i = 0; i < 51; i++) {
            big.addUsers("u0").addItems("i0");
        }
        assertStatus(Status.Code.INVALID_ARGUMENT, "exceeds ncf.max-score-pairs (50)", () -> stub.score(big.build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "unknown item 'nope' at position 0",
                () -> stub.score(ScoreRequest.newBuilder().addUsers("u0").addItems("nope").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "differ in length",
                () -> stub.score(ScoreRequest.newBuilder().addUsers("u0").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "unknown excluded item 'x'",
                () -> stub.recommend(RecommendRequest.newBuilder().setUser("u0").setK(1).addExclude("x").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "the batch is empty",
                () -> stub.recommendBatch(RecommendBatchRequest.getDefaultInstance()));
    }

    @Test
    void unknownModelsVersionsAndScoredUsersAreNotFound() {
        assertStatus(Status.Code.NOT_FOUND, "unknown model 'other'", () -> stub.score(ScoreRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setName("other")).addUsers("u0").addItems("i0").build()));
        assertStatus(Status.Code.NOT_FOUND, "has no loaded version 7", () -> stub.getModelInfo(ModelInfoRequest
                .newBuilder().setModel(ModelSpec.newBuilder().setName("demo").setVersion(7)).build()));
        assertStatus(Status.Code.NOT_FOUND, "unknown user 'ghost'",
                () -> stub.score(ScoreRequest.newBuilder().addUsers("ghost").addItems("i0").build()));
    }

    @Test
    void anExpiredDeadlineIsDeadlineExceeded() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub
                .withDeadlineAfter(1, TimeUnit.NANOSECONDS).recommend(RecommendRequest.newBuilder().setUser("u0")
                        .setK(1).build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    }

    @Test
    void healthIsServingWithAModelLoaded() {
        HealthCheckResponse r = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, r.getStatus());
    }

    /** One request on the reflection stream and its answer. */
    private ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
        return firstAnswer(ServerReflectionGrpc.newStub(channel)::serverReflectionInfo, request);
    }

    /** Opens a bidirectional stream, sends one request, and returns the first answer. */
    private static <Q, A> A firstAnswer(Function<StreamObserver<A>, StreamObserver<Q>> open, Q request)
            throws Exception {
        CompletableFuture<A> answer = new CompletableFuture<>();
        StreamObserver<Q> requests = open.apply(new StreamObserver<>() {
            @Override
            public void onNext(A r) {
                answer.complete(r);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(request);
        A r = answer.get(10, TimeUnit.SECONDS);
        requests.onCompleted();
        return r;
    }

    @Test
    void reflectionV1alphaListsTheServicesToo() throws Exception {
        var v1alpha = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel);
        Set<String> names = new HashSet<>();
        firstAnswer(v1alpha::serverReflectionInfo, io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setListServices("").build()).getListServicesResponse().getServiceList()
                .forEach(s -> names.add(s.getName()));
        assertTrue(names.contains("ncf.v1.Recommender"), names.toString());
    }

    @Test
    void reflectionListsAndDescribesTheService() throws Exception {
        Set<String> names = new HashSet<>();
        reflect(ServerReflectionRequest.newBuilder().setListServices("").build()).getListServicesResponse()
                .getServiceList().forEach(s -> names.add(s.getName()));
        assertTrue(names.contains("ncf.v1.Recommender"), names.toString());
        assertTrue(names.contains("inference.GRPCInferenceService"), names.toString());
        assertTrue(names.contains("grpc.health.v1.Health"), names.toString());
        // what grpcurl asks next: the file defining the service, to learn its methods and messages
        ServerReflectionResponse file = reflect(ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("ncf.v1.Recommender").build());
        assertTrue(file.hasFileDescriptorResponse(), file.toString());
        assertTrue(file.getFileDescriptorResponse().getFileDescriptorProtoCount() > 0, file.toString());
    }

    @Test
    void prometheusMetricsCountCallsErrorsBatchesAndVersions() throws Exception {
        stub.score(ScoreRequest.newBuilder().addUsers("u0").addItems("i0").build());
        stub.recommend(RecommendRequest.newBuilder().setUser("u0").setK(2).build());
        assertThrows(StatusRuntimeException.class, () -> stub.score(ScoreRequest.getDefaultInstance()));
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(metricsUrl)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        String text = response.body();
        for (String expected : List.of("ncf_requests_total{rpc=\"Score\",status=\"OK\"}",
                "ncf_requests_total{rpc=\"Score\",status=\"INVALID_ARGUMENT\"}",
                "ncf_request_latency_seconds_bucket{rpc=\"Recommend\"", "ncf_batch_size_count{call=\"recommend\",thread=\"io\"}",
                "ncf_queue_time_seconds_count{call=\"score\"}", "ncf_loaded_versions{model=\"demo\"} 1.0")) {
            assertTrue(text.contains(expected), "missing " + expected);
        }
        // each call is counted once, by the server's tracer: Micrometer's own gRPC interceptor is off
        assertFalse(text.contains("grpc_server_"), "Micrometer's gRPC server meters are back");
    }
}
