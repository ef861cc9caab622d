package org.ncf4j.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.stream.Collectors;
import org.ncf4j.server.config.ConfigException;
import org.ncf4j.server.config.SecurityConfig;
import org.ncf4j.server.metrics.ServingMetrics;
import org.ncf4j.server.repository.ModelRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the server (configuration from application.yml and {@code NCF_*} environment variables), says when it is
 * ready and on which ports, and owns the way it stops: on SIGTERM or SIGINT health turns NOT_SERVING and health
 * watches are closed, the calls in flight finish (for up to {@code grpc.server.await-termination}), the models
 * close once their last run is done, and only then does the JVM exit (code 143 for SIGTERM). The JVM's own
 * reaction to the signal is replaced, so no shutdown hook (ONNX Runtime's among them, which frees the native
 * environment) can run while a model is still running. Settings that cannot be used stop it at once with one line
 * per bad value and exit code 2.
 */
public final class Application {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) {
        LoggingBridge.install();
        Signals signals = Signals.install("TERM", "INT");
        long t0 = System.nanoTime();
        ApplicationContext context = ApplicationContext.builder().args(args).mainClass(Application.class)
                .banner(false).build();
        EmbeddedServer http;
        try {
            context.start();
            http = context.getBean(EmbeddedServer.class);
            http.start();
        } catch (RuntimeException | Error e) {
            exitOnStartupFailure(context, e);
            return;
        }
        GrpcEmbeddedServer grpc = context.getBean(GrpcEmbeddedServer.class);
        try {
            awaitListening(grpc);
        } catch (RuntimeException e) {
            exitOnStartupFailure(context, e);
            return;
        }
        ModelRepository repository = context.getBean(ModelRepository.class);
        ServingMetrics metrics = context.getBean(ServingMetrics.class);
        signals.started();
        String models = repository.snapshot().entries().stream().map(m -> m.name() + " "
                + m.loaded().descendingKeySet()).collect(Collectors.joining(", "));
        SecurityConfig securityConfig = context.getBean(SecurityConfig.class);
        String https = securityConfig.tls() ? ", HTTPS (the Open Inference Protocol's REST inference) on port "
                + context.getBean(io.micronaut.http.ssl.ServerSslConfiguration.class).getPort() : "";
        LOG.info("ready in {} ms: gRPC on port {} ({}), HTTP (metrics /prometheus, health /health, /v2) on port {}{}; "
                + "models: {}", (System.nanoTime() - t0) / 1_000_000, grpc.getPort(), securityConfig.describe(),
                http.getPort(), https, models.isEmpty() ? "none loaded" : models);
        int signal = signals.await();
        stop(context, grpc, http, repository, metrics, signal);
    }

    /**
     * Micronaut starts the gRPC server from an event listener that may run after the HTTP server has started: the
     * server is ready only once the gRPC port accepts connections.
     */
    private static void awaitListening(GrpcEmbeddedServer grpc) {
        grpc.start(); // a no-op when the listener has started it already
        long until = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                if (!grpc.getServer().getListenSockets().isEmpty()) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not started yet
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the gRPC server did not start listening on port " + grpc.getPort());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
    }

    private static void stop(ApplicationContext context, GrpcEmbeddedServer grpc, EmbeddedServer http,
                             ModelRepository repository, ServingMetrics metrics, int signal) {
        long t0 = System.nanoTime();
        LOG.info("signal {}: stopping with {} calls in flight", signal, metrics.inFlight());
        // publishes the shutdown event (health NOT_SERVING, watches closed), stops taking calls and waits for
        // the calls in flight, for up to grpc.server.await-termination
        grpc.stop();
        if (grpc.getServer().isTerminated()) {
            LOG.info("every call in flight finished");
        } else {
            LOG.warn("{} calls were still running after grpc.server.await-termination; cancelling them",
                    metrics.inFlight());
            grpc.getServer().shutdownNow();
        }
        long drained = System.nanoTime();
        int code = 128 + signal;
        String loading = repository.loading();
        if (loading != null) {
            // a version is loading (a poll or a Reload): nothing of it serves yet, and its load holds the
            // repository; abandon it rather than wait
            LOG.info("stopped: calls drained in {} ms; abandoned loading {}", (drained - t0) / 1_000_000, loading);
            Runtime.getRuntime().halt(code);
        }
        boolean closed = repository.close(5_000);
        try {
            http.stop();
            context.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the application context: {}", e.toString());
        }
        LOG.info("stopped: calls drained in {} ms, models closed in {} ms", (drained - t0) / 1_000_000,
                (System.nanoTime() - drained) / 1_000_000);
        if (closed) {
            System.exit(code);
        }
        // a model run is still going: no shutdown hook may free ONNX Runtime under it
        Runtime.getRuntime().halt(code);
    }

    private static void exitOnStartupFailure(ApplicationContext context, Throwable e) {
        ConfigException config = find(e, ConfigException.class);
        int code;
        if (config != null) {
            System.err.println("ncf-server: cannot start with these settings:");
            config.problems().forEach(p -> System.err.println("  " + p));
            code = 2;
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            LOG.debug("startup failed", e);
            String why = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
            if (why.contains("Address already in use")) {
                why += "; another process has the gRPC or HTTP port: choose others with GRPC_SERVER_PORT and "
                        + "HTTP_PORT";
            }
            System.err.println("ncf-server: cannot start: " + why);
            code = 1;
        }
        try {
            if (context.isRunning()) {
                context.close();
            }
        } catch (RuntimeException closing) {
            LOG.debug("closing after a failed start", closing);
        }
        System.exit(code);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
