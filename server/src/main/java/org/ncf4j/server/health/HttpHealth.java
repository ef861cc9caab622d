package org.ncf4j.server.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/** HTTP {@code /health} agrees with gRPC health: DOWN (503) while no model serves or the server is stopping. */
@Singleton
public class HttpHealth implements HealthIndicator {
    private final ServingHealth serving;

    public HttpHealth(ServingHealth serving) {
        this.serving = serving;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean up = serving.serving();
        return Publishers.just(HealthResult.builder("models", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("serving", up, "stopping", serving.stopping())).build());
    }
}
