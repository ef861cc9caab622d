package org.ncf4j.server.grpc;

import io.grpc.ServerBuilder;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.netty.handler.ssl.SslContext;
import jakarta.inject.Singleton;
import org.ncf4j.server.config.SecurityConfig;
import org.ncf4j.server.config.TlsContexts;
import org.ncf4j.server.metrics.ServingMetrics;

/**
 * Settings of the gRPC server that Micronaut's configuration does not reach. Handlers run on the transport's I/O
 * threads instead of a thread pool, which saves a thread hand-off on every call (costly on some machines); in
 * return no handler may block, so {@link RecommenderEndpoint} moves blocking work to the {@code io} executor, and
 * the health and reflection services never block. Every stream is traced by {@link CallTracer}. With
 * {@code ncf.security} certificates the port speaks TLS only, asking for client certificates as configured. The
 * transport runs on {@link GrpcEventLoops}.
 */
@Singleton
public class ServerBuilderSettings implements BeanCreatedEventListener<ServerBuilder<?>> {
    private final ServingMetrics metrics;
    private final SecurityConfig security;
    private final GrpcEventLoops loops;

    public ServerBuilderSettings(ServingMetrics metrics, SecurityConfig security, GrpcEventLoops loops) {
        this.metrics = metrics;
        this.security = security;
        this.loops = loops;
    }

    @Override
    public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
        ServerBuilder<?> b = event.getBean().directExecutor().addStreamTracerFactory(new CallTracer(metrics));
        if (b instanceof NettyServerBuilder netty) {
            loops.applyTo(netty);
        }
        if (security.tls()) {
            if (!(b instanceof NettyServerBuilder netty)) {
                throw new IllegalStateException("TLS needs the Netty gRPC transport, the server has "
                        + b.getClass().getName());
            }
            netty.sslContext(sslContext(security));
        }
        return b;
    }

    /** The gRPC port's TLS context: the ncf.security files, with gRPC's ALPN ({@link TlsContexts}). */
    static SslContext sslContext(SecurityConfig s) {
        return TlsContexts.build(s, "gRPC port", GrpcSslContexts::configure);
    }
}
