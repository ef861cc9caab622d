package org.ncf4j.server.health;

import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ncf4j.server.error.Ids;

/**
 * The standard {@code grpc.health.v1.Health} service: {@code Check} answers a service's status (NOT_FOUND for a
 * service it does not know), {@code Watch} streams it and every change. On {@link #shutdown} every status turns
 * NOT_SERVING for good, watchers are told so, and then their streams are closed (UNAVAILABLE), so that open
 * watches, which load balancers and Kubernetes keep, never hold a stopping server.
 */
public final class HealthService extends HealthGrpc.HealthImplBase {
    private final Map<String, ServingStatus> statuses = new ConcurrentHashMap<>();
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private volatile boolean terminal;

    /** One open Watch: sends each status change once, in order. */
    private final class Watcher {
        private final String service;
        private final ServerCallStreamObserver<HealthCheckResponse> out;
        private ServingStatus sent;
        private boolean done;

        Watcher(String service, ServerCallStreamObserver<HealthCheckResponse> out) {
            this.service = service;
            this.out = out;
        }

        synchronized void send(ServingStatus status) {
            if (done || status == sent) {
                return;
            }
            sent = status;
            out.onNext(HealthCheckResponse.newBuilder().setStatus(status).build());
        }

        synchronized void end() {
            if (!done) {
                done = true;
                out.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
            }
        }

        synchronized void cancelled() {
            done = true;
        }
    }

    /** Sets a service's status ("" is the server as a whole); ignored once shutting down. */
    public void setStatus(String service, ServingStatus status) {
        if (terminal) {
            return;
        }
        statuses.put(service, status);
        for (Watcher w : watchers) {
            if (w.service.equals(service)) {
                w.send(status);
            }
        }
    }

    public ServingStatus status(String service) {
        return statuses.getOrDefault(service, ServingStatus.SERVICE_UNKNOWN);
    }

    /** Every service NOT_SERVING from now on; watchers are told and their streams closed. */
    public void shutdown() {
        terminal = true;
        statuses.replaceAll((s, st) -> ServingStatus.NOT_SERVING);
        for (Watcher w : watchers) {
            w.send(ServingStatus.NOT_SERVING);
            w.end();
        }
        watchers.clear();
    }

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
        ServingStatus s = statuses.get(request.getService());
        if (s == null) {
            out.onError(Status.NOT_FOUND.withDescription("unknown service " + Ids.quote(request.getService())
                    + "; known: " + Ids.list(statuses.keySet())).asRuntimeException());
            return;
        }
        out.onNext(HealthCheckResponse.newBuilder().setStatus(s).build());
        out.onCompleted();
    }

    @Override
    public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
        ServerCallStreamObserver<HealthCheckResponse> out = (ServerCallStreamObserver<HealthCheckResponse>) responses;
        Watcher w = new Watcher(request.getService(), out);
        out.setOnCancelHandler(() -> {
            w.cancelled();
            watchers.remove(w);
        });
        watchers.add(w);
        w.send(status(request.getService()));
        if (terminal) {
            // shutdown() may have run before this watcher was added
            watchers.remove(w);
            w.send(ServingStatus.NOT_SERVING);
            w.end();
        }
    }
}
