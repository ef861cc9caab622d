package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.ncf4j.api.v1.ModelInfo;
import org.ncf4j.api.v1.ModelInfoRequest;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.slf4j.LoggerFactory;

/**
 * What clients that are not well-behaved send, through a channel with default settings (like other gRPC clients,
 * it refuses trailers over 8 KB): every call gets its exact status with a bounded description, is counted in the
 * metrics, and costs the log one line at most, without a stack trace.
 */
@MicronautTest
class BadRequestsTest extends ServerTestBase {
    private RecommenderGrpc.RecommenderBlockingStub stub;
    private String metricsUrl;

    @Override
    protected TestServers.Setup createServer() {
        TestServers.Setup setup = TestServers.create(true, Map.of("ncf.max-recommend-batch", "5"));
        // a second model whose card lacks every optional entry
        Path gmf = setup.dir().resolve("models/sparse/1");
        TestBundles.write(gmf, new ModelShape(Variant.GMF, TestBundles.USERS, TestBundles.ITEMS, 4, new int[0]), 3);
        TestBundles.editCard(gmf, card -> card.remove(List.of("layers", "metrics", "createdAt", "dataset", "training",
                "producer")));
        stub = RecommenderGrpc.newBlockingStub(setup.channel());
        metricsUrl = "http://127.0.0.1:" + setup.properties().get("micronaut.server.port") + "/prometheus";
        return setup;
    }

    private static Status status(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus();
    }

    private static void assertBounded(Status s) {
        assertTrue(s.getDescription() != null && s.getDescription().length() < 1024, "unbounded: "
                + (s.getDescription() == null ? null : s.getDescription().length()));
    }

    @Test
    void longIdsAreCutInMessagesSoThatTheAnswerReachesTheClient() {
        String kb8 = "u".repeat(8192);
        Status s = status(() -> stub.score(ScoreRequest.newBuilder().addUsers(kb8).addItems("i0").build()));
        assertEquals(Status.Code.NOT_FOUND, s.getCode(), s.toString());
        assertBounded(s);
        assertTrue(s.getDescription().contains("(8192 characters)"), s.getDescription());

        String mb1 = "x".repeat(1 << 20);
        Status item = status(() -> stub.recommend(RecommendRequest.newBuilder().setUser("u1").setK(2)
                .addExclude(mb1).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, item.getCode(), item.toString());
        assertBounded(item);
        Status user = status(() -> stub.score(ScoreRequest.newBuilder().addUsers(mb1).addItems("i0").build()));
        assertEquals(Status.Code.NOT_FOUND, user.getCode());
        assertBounded(user);
        Status model = status(() -> stub.recommend(RecommendRequest.newBuilder().setUser("u1").setK(2)
                .setModel(ModelSpec.newBuilder().setName(mb1)).build()));
        assertEquals(Status.Code.NOT_FOUND, model.getCode());
        assertBounded(model);
    }

    @Test
    void emptyIdsAreInvalidArguments() {
        Status r = status(() -> stub.recommend(RecommendRequest.newBuilder().setK(3).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, r.getCode());
        assertEquals("the user id is empty", r.getDescription());
        Status s = status(() -> stub.score(ScoreRequest.newBuilder().addUsers("").addItems("i0").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("the user id at position 0 is empty"), s.getDescription());
        Status i = status(() -> stub.score(ScoreRequest.newBuilder().addUsers("u0").addItems("").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, i.getCode());
        Status b = status(() -> stub.recommendBatch(RecommendBatchRequest.newBuilder()
                .addRequests(RecommendRequest.newBuilder().setUser("u0").setK(1))
                .addRequests(RecommendRequest.newBuilder().setK(1)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, b.getCode());
        assertEquals("request 1: the user id is empty", b.getDescription());
    }

    @Test
    void malformedBytesToAnyServiceAreInvalidArguments() {
        for (String method : List.of("grpc.health.v1.Health/Check", "ncf.v1.Recommender/Score",
                "ncf.v1.Recommender/GetModelInfo", "grpc.health.v1.Health/Watch")) {
            Status s = RawCalls.malformed(channel, method).getStatus();
            assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), method + ": " + s);
            assertTrue(s.getDescription().startsWith("malformed request for " + method), s.toString());
        }
    }

    @Test
    void anUnknownMethodIsUnimplemented() {
        Status s = assertThrows(StatusRuntimeException.class, () -> RawCalls.call(channel, "ncf.v1.Recommender/Nope",
                new byte[0])).getStatus();
        assertEquals(Status.Code.UNIMPLEMENTED, s.getCode());
    }

    @Test
    void aMessageOverTheSizeLimitIsResourceExhausted() {
        ScoreRequest.Builder big = ScoreRequest.newBuilder();
        String id = "u".repeat(1000);
        for (int i = 0; i < 5000; i++) {
            big.addUsers(id).addItems("i0");
        }
        Status s = status(() -> stub.score(big.build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode(), s.toString());
    }

    @Test
    void aCardWithoutOptionalEntriesIsDescribed() {
        ModelInfo info = stub.getModelInfo(ModelInfoRequest.newBuilder().setModel(ModelSpec.newBuilder()
                .setName("sparse")).build());
        assertEquals("gmf", info.getVariant());
        assertEquals(0, info.getLayersCount());
        assertEquals("", info.getCreatedAt());
        assertEquals("", info.getDataset());
        assertEquals(Map.of(), info.getMetricsMap());
    }

    @Test
    void recommendBatchIsCappedAnsweredByOneModelAndNamesTheFailingRequest() {
        RecommendBatchRequest.Builder six = RecommendBatchRequest.newBuilder();
        for (int i = 0; i < 6; i++) {
            six.addRequests(RecommendRequest.newBuilder().setUser("u" + i).setK(1));
        }
        Status cap = status(() -> stub.recommendBatch(six.build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, cap.getCode());
        assertTrue(cap.getDescription().contains("exceeds ncf.max-recommend-batch (5)"), cap.getDescription());

        Status mixed = status(() -> stub.recommendBatch(RecommendBatchRequest.newBuilder()
                .addRequests(RecommendRequest.newBuilder().setUser("u0").setK(1))
                .addRequests(RecommendRequest.newBuilder().setUser("u1").setK(1)
                        .setModel(ModelSpec.newBuilder().setName("sparse"))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, mixed.getCode());
        assertTrue(mixed.getDescription().startsWith("request 1 names model 'sparse'"), mixed.getDescription());

        Status item = status(() -> stub.recommendBatch(RecommendBatchRequest.newBuilder()
                .addRequests(RecommendRequest.newBuilder().setUser("u0").setK(1))
                .addRequests(RecommendRequest.newBuilder().setUser("u1").setK(1))
                .addRequests(RecommendRequest.newBuilder().setUser("u2").setK(1).addExclude("nope")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, item.getCode());
        assertEquals("request 2: unknown excluded item 'nope'", item.getDescription());

        var ok = stub.recommendBatch(RecommendBatchRequest.newBuilder()
                .addRequests(RecommendRequest.newBuilder().setUser("u0").setK(2))
                .addRequests(RecommendRequest.newBuilder().setUser("u1").setK(3)
                        .setModel(ModelSpec.newBuilder().setName("demo"))).build());
        assertEquals(1, ok.getResponses(0).getModel().getVersion());
        assertEquals(ok.getResponses(0).getModel(), ok.getResponses(1).getModel());
    }

    @Test
    void badRequestsAreCountedWithTheirRealStatusAndLoggedOneLineEach() throws Exception {
        List<String> counted = List.of("rpc=\"grpc.health.v1.Health/Check\",status=\"INVALID_ARGUMENT\"",
                "rpc=\"Score\",status=\"RESOURCE_EXHAUSTED\"", "rpc=\"unknown\",status=\"UNIMPLEMENTED\"",
                "rpc=\"Score\",status=\"NOT_FOUND\"");
        Map<String, Double> before = new HashMap<>();
        String start = scrape();
        counted.forEach(c -> before.put(c, count(start, c)));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        List<ILoggingEvent> lines;
        try {
            for (int i = 0; i < 3; i++) {
                RawCalls.malformed(channel, "grpc.health.v1.Health/Check");
                aMessageOverTheSizeLimitIsResourceExhausted();
                anUnknownMethodIsUnimplemented();
                status(() -> stub.score(ScoreRequest.newBuilder().addUsers("u".repeat(9000)).addItems("i0").build()));
            }
            // a client has its status before the server's tracer is told the call ended; the tracer logs a call's
            // line before it counts the call, so once every call is counted every line is in
            Await.until("the 12 bad calls are counted", Duration.ofSeconds(10), () -> {
                String now = scrape();
                return counted.stream().allMatch(c -> count(now, c) >= before.get(c) + 3);
            });
        } finally {
            root.detachAppender(log);
        }
        synchronized (log) { // the appender's own lock, which each line was appended under
            lines = List.copyOf(log.list);
        }
        assertTrue(lines.stream().noneMatch(e -> e.getThrowableProxy() != null), "a stack trace was logged: "
                + lines.stream().filter(e -> e.getThrowableProxy() != null).map(ILoggingEvent::getFormattedMessage)
                .toList());
        assertTrue(lines.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)),
                lines.toString());
        assertTrue(lines.size() <= 12, lines.size() + " lines for 12 bad requests: " + lines.stream()
                .map(ILoggingEvent::getFormattedMessage).toList());
        assertTrue(lines.stream().allMatch(e -> e.getFormattedMessage().length() < 2000), "an unbounded line");

        assertFalse(scrape().contains("status=\"INTERNAL\""), "a call counted as INTERNAL");
    }

    private String scrape() {
        return Prometheus.scrape(metricsUrl);
    }

    /** The value of {@code ncf_requests_total{labels}} in a scrape; 0 when it is not there yet. */
    private static double count(String metrics, String labels) {
        String key = "ncf_requests_total{" + labels + "} ";
        return metrics.lines().filter(l -> l.startsWith(key)).mapToDouble(l -> Double.parseDouble(l.substring(
                key.length()).strip())).findFirst().orElse(0);
    }

    @Test
    void reloadingAModelTheRepositoryDoesNotHaveIsNotFound() {
        Status s = status(() -> stub.reload(org.ncf4j.api.v1.ReloadRequest.newBuilder().setName("nope").build()));
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertTrue(s.getDescription().contains("the repository has no model 'nope'"), s.getDescription());
    }

    @Test
    void healthAnswersForTheRecommenderServiceAndRefusesUnknownServices() {
        var health = HealthGrpc.newBlockingStub(channel);
        assertEquals("SERVING", health.check(HealthCheckRequest.newBuilder().setService("ncf.v1.Recommender")
                .build()).getStatus().name());
        assertEquals("SERVING", health.check(HealthCheckRequest.newBuilder()
                .setService("inference.GRPCInferenceService").build()).getStatus().name());
        Status s = status(() -> health.check(HealthCheckRequest.newBuilder().setService("other").build()));
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
    }
}
