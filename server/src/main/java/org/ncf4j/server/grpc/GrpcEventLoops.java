package org.ncf4j.server.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.ncf4j.server.batching.IoLoops;

/**
 * The gRPC server's own Netty event loops (epoll on Linux, else NIO), ended when the application context closes.
 * gRPC's default loops are shared and ended a second after the last server releases them, so they would still be
 * waiting in native code ({@code epoll_wait}) when the JVM exits, and the JVM waits 300 ms for such threads before
 * it exits: ending them first shortens every shutdown by that much.
 *
 * <p>Being the loops' owner, it also tells the batchers which loop runs the current thread ({@link IoLoops}), and
 * whether the current call was cancelled by its client: a
 * thread's loop is found once, among the worker loops by Netty's public {@code inEventLoop}, and kept in a
 * thread-local of this instance (Netty's {@code FastThreadLocal}, an array slot on its own threads).
 */
@Singleton
public class GrpcEventLoops implements IoLoops, AutoCloseable {
    private static final long CLOSE_MILLIS = 2_000;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channel;
    /** The worker loop running each thread that has asked, or null for a thread that is none of them. */
    private final FastThreadLocal<Executor> loopOfThread = new FastThreadLocal<>() {
        @Override
        protected Executor initialValue() {
            for (EventExecutor loop : workers) {
                if (loop.inEventLoop()) {
                    return loop;
                }
            }
            return null;
        }
    };

    public GrpcEventLoops() {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("grpc-boss", true), io);
        // 0: Netty's default, twice the cores, as gRPC's own loops have
        workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("grpc-io", true), io);
        channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The worker loop (where calls are read and handled) running the current thread, or null on other threads. */
    @Override
    public Executor current() {
        return loopOfThread.get();
    }

    /**
     * Whether the client of the call in the current gRPC context cancelled it (or lost its connection): the
     * context is cancelled then, before its deadline, for another cause than the deadline's {@link TimeoutException}
     * (as it is once the call has been answered, when no request of it waits any more). A call past its deadline is
     * the batcher's to time out, whoever ended it first. Outside a call (the root context), never.
     */
    @Override
    public BooleanSupplier cancellation() {
        Context call = Context.current();
        if (call == Context.ROOT) {
            return NOT_CANCELLED;
        }
        Deadline deadline = call.getDeadline();
        // past its deadline the client ends the call too (a race with the server's own timer): the batcher's turn
        return () -> call.isCancelled() && !(call.cancellationCause() instanceof TimeoutException)
                && (deadline == null || !deadline.isExpired());
    }

    /** Makes the server accept and serve on these loops. */
    void applyTo(NettyServerBuilder builder) {
        builder.bossEventLoopGroup(boss).workerEventLoopGroup(workers).channelType(channel);
    }

    /** Ends the loops, without the quiet period (the gRPC server has stopped by now), waiting up to 2 s. */
    @PreDestroy
    @Override
    public void close() {
        boss.shutdownGracefully(0, CLOSE_MILLIS, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, CLOSE_MILLIS, TimeUnit.MILLISECONDS);
        boss.terminationFuture().awaitUninterruptibly(CLOSE_MILLIS);
        workers.terminationFuture().awaitUninterruptibly(CLOSE_MILLIS);
    }
}
