package org.ncf4j.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.inference.GRPCInferenceServiceGrpc;
import org.ncf4j.api.v1.ListModelsRequest;
import org.ncf4j.api.v1.ListModelsResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;
import org.ncf4j.server.RawCalls;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.service.EarlyRefusal;

/**
 * A model call that no model could take is refused when it starts, before its message is read: bytes that are no
 * message get RESOURCE_EXHAUSTED then, not INVALID_ARGUMENT, and the method never runs; calls that queue no model
 * work pass whatever the load.
 */
class LoadSheddingTest {
    private final List<EarlyRefusal.Work> asked = new CopyOnWriteArrayList<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private volatile boolean busy;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        RecommenderGrpc.RecommenderImplBase endpoint = new RecommenderGrpc.RecommenderImplBase() {
            @Override
            public void score(ScoreRequest request, StreamObserver<ScoreResponse> out) {
                ran.add("Score");
                out.onNext(ScoreResponse.getDefaultInstance());
                out.onCompleted();
            }

            @Override
            public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
                ran.add("ListModels");
                out.onNext(ListModelsResponse.getDefaultInstance());
                out.onCompleted();
            }
        };
        LoadShedding shedding = new LoadShedding(work -> {
            asked.add(work);
            return busy ? new ServingException(ServingError.OVERLOADED, "model m version 1 Score queue is full; "
                    + "retry later or elsewhere") : null;
        });
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
                .addService(ServerInterceptors.intercept(MalformedRequests.wrap(endpoint), shedding)).build().start();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aBusyServerRefusesAModelCallBeforeReadingIt() {
        busy = true;
        StatusRuntimeException e = RawCalls.malformed(channel, "ncf.v1.Recommender/Score");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("retry"), e.getStatus().getDescription());
        StatusRuntimeException valid = assertThrows(StatusRuntimeException.class,
                () -> RecommenderGrpc.newBlockingStub(channel).score(ScoreRequest.newBuilder().addUsers("u")
                        .addItems("i").build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, valid.getStatus().getCode());
        assertEquals(List.of(EarlyRefusal.Work.SCORE, EarlyRefusal.Work.SCORE), asked);
        assertEquals(List.of(), ran, "the method never ran");
    }

    @Test
    void callsThatQueueNoModelWorkPassWhateverTheLoad() {
        busy = true;
        RecommenderGrpc.newBlockingStub(channel).listModels(ListModelsRequest.getDefaultInstance());
        assertEquals(List.of("ListModels"), ran);
        assertEquals(List.of(), asked, "not even asked");
    }

    @Test
    void aServerWithRoomReadsTheCallAsUsual() {
        busy = false;
        assertEquals(Status.Code.INVALID_ARGUMENT, RawCalls.malformed(channel, "ncf.v1.Recommender/Score").getStatus()
                .getCode());
        RecommenderGrpc.newBlockingStub(channel).score(ScoreRequest.newBuilder().addUsers("u").addItems("i").build());
        assertEquals(List.of("Score"), ran);
    }

    @Test
    void theWatchedMethodsAreTheModelCallsOfBothServices() {
        Set<String> methods = new HashSet<>();
        for (MethodDescriptor<?, ?> m : RecommenderGrpc.getServiceDescriptor().getMethods()) {
            methods.add(m.getFullMethodName());
        }
        for (MethodDescriptor<?, ?> m : GRPCInferenceServiceGrpc.getServiceDescriptor().getMethods()) {
            methods.add(m.getFullMethodName());
        }
        assertTrue(methods.containsAll(LoadShedding.WORK.keySet()), LoadShedding.WORK.keySet().toString());
        assertEquals(Set.of("Score", "Recommend", "RecommendBatch", "ModelInfer"), LoadShedding.WORK.keySet().stream()
                .map(m -> m.substring(m.indexOf('/') + 1)).collect(Collectors.toSet()));
    }
}
