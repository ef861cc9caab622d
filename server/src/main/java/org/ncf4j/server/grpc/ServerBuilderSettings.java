package org.ncf4j.server.grpc;

import io.grpc.ServerBuilder;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import org.ncf4j.server.metrics.ServingMetrics;

/**
 * Settings of the gRPC server that Micronaut's configuration does not reach. Handlers run on the transport's I/O
 * threads instead of a thread pool, which saves a thread hand-off on every call (costly on some machines); in
 * return no handler may block, so {@link RecommenderEndpoint} moves blocking work to the {@code io} executor, and
 * the health and reflection services never block. Every stream is traced by {@link CallTracer}.
 */
@Singleton
public class ServerBuilderSettings implements BeanCreatedEventListener<ServerBuilder<?>> {
    private final ServingMetrics metrics;

    public ServerBuilderSettings(ServingMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
        return event.getBean().directExecutor().addStreamTracerFactory(new CallTracer(metrics));
    }
}
