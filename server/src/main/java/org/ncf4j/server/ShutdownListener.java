package org.ncf4j.server;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.inject.Singleton;
import org.ncf4j.server.health.ServingHealth;
import org.ncf4j.server.repository.RepositoryPoller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of stopping, before the gRPC server stops taking calls: health turns NOT_SERVING for good and
 * open health watches are closed (they would hold the server until its drain time runs out), and polling stops.
 * Calls in flight then finish on models that stay loaded until the end.
 */
@Singleton
public class ShutdownListener {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownListener.class);
    private final ServingHealth health;
    private final RepositoryPoller poller;

    public ShutdownListener(ServingHealth health, RepositoryPoller poller) {
        this.health = health;
        this.poller = poller;
    }

    @EventListener
    void onShutdown(ServerShutdownEvent event) {
        if (!health.stopping()) {
            LOG.info("stopping: health NOT_SERVING, health watches closed, finishing the calls in flight");
            poller.close();
            health.beginShutdown();
        }
    }
}
