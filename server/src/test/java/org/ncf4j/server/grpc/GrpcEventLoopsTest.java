package org.ncf4j.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.ncf4j.server.health.HealthService;

/**
 * The batchers learn which of the server's loops runs a call's handler, and that no other thread is one; and whether
 * a call's client cancelled it.
 */
class GrpcEventLoopsTest {
    @Test
    void aCallsHandlerFindsTheLoopRunningItAndNoOtherThreadFindsOne() throws Exception {
        GrpcEventLoops loops = new GrpcEventLoops();
        List<Boolean> handlerOnItsLoop = new CopyOnWriteArrayList<>();
        Server server = serve(loops, () -> {
            Executor loop = loops.current();
            handlerOnItsLoop.add(loop instanceof EventExecutor e && e.inEventLoop() && loops.current() == loop);
        });
        ManagedChannel channel = connect(server);
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

    @Test
    void aCallCancelledByItsClientIsSeenCancelledAndOneWhoseDeadlinePassedIsNot() throws Exception {
        GrpcEventLoops loops = new GrpcEventLoops();
        List<BooleanSupplier> checks = new CopyOnWriteArrayList<>();
        Server server = serve(loops, () -> checks.add(loops.cancellation()));
        ManagedChannel channel = connect(server);
        try {
            assertFalse(loops.cancellation().getAsBoolean(), "outside a call: never");
            // a watch (it stays open) that its client cancels
            Watch cancelled = new Watch();
            Context.CancellableContext client = Context.current().withCancellation();
            client.run(() -> HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), cancelled));
            assertTrue(cancelled.first.await(10, TimeUnit.SECONDS));
            assertFalse(checks.get(0).getAsBoolean(), "open");
            client.cancel(null);
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); !checks.get(0).getAsBoolean()
                    && System.nanoTime() < until; ) {
                Thread.sleep(5);
            }
            assertTrue(checks.get(0).getAsBoolean(), "its client cancelled it");
            // a watch whose deadline passes: the batcher times deadlines itself, this is no cancellation
            Watch expired = new Watch();
            HealthGrpc.newStub(channel).withDeadlineAfter(200, TimeUnit.MILLISECONDS)
                    .watch(HealthCheckRequest.getDefaultInstance(), expired);
            assertTrue(expired.ended.await(10, TimeUnit.SECONDS));
            Thread.sleep(100);
            assertFalse(checks.get(1).getAsBoolean(), "its deadline passed");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            loops.close();
        }
    }

    /** A health service on the loops, on a free local port, that runs {@code atCallStart} in each call's handler. */
    private static Server serve(GrpcEventLoops loops, Runnable atCallStart) throws IOException {
        HealthService health = new HealthService();
        health.setStatus("", ServingStatus.SERVING);
        ServerInterceptor interceptor = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                atCallStart.run();
                return next.startCall(call, headers);
            }
        };
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor().addService(ServerInterceptors.intercept(health, interceptor));
        loops.applyTo(builder);
        return builder.build().start();
    }

    private static ManagedChannel connect(Server server) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    /** A health watch's first answer and its end. */
    private static final class Watch implements StreamObserver<HealthCheckResponse> {
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void onNext(HealthCheckResponse value) {
            first.countDown();
        }

        @Override
        public void onError(Throwable t) {
            ended.countDown();
        }

        @Override
        public void onCompleted() {
            ended.countDown();
        }
    }
}
