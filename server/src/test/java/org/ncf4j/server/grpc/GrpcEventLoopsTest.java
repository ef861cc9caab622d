package org.ncf4j.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ncf4j.server.health.HealthService;

/** The batchers learn which of the server's loops runs a call's handler, and that no other thread is one. */
class GrpcEventLoopsTest {
    @Test
    void aCallsHandlerFindsTheLoopRunningItAndNoOtherThreadFindsOne() throws Exception {
        GrpcEventLoops loops = new GrpcEventLoops();
        List<Boolean> handlerOnItsLoop = new CopyOnWriteArrayList<>();
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                Executor loop = loops.current();
                handlerOnItsLoop.add(loop instanceof EventExecutor e && e.inEventLoop() && loops.current() == loop);
                return next.startCall(call, headers);
            }
        };
        HealthService health = new HealthService();
        health.setStatus("", ServingStatus.SERVING);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor().addService(ServerInterceptors.intercept(health, recorder));
        loops.applyTo(builder);
        Server server = builder.build().start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .build();
        DefaultEventLoop otherLoop = new DefaultEventLoop();
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
                        .getStatus());
            }
            assertEquals(List.of(true, true, true), handlerOnItsLoop);
            assertNull(loops.current(), "the test's thread is none of the loops");
            assertNull(otherLoop.submit(loops::current).get(10, TimeUnit.SECONDS), "another group's loop");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            otherLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            loops.close();
        }
    }
}
