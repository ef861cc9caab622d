package org.ncf4j.server;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** A load balancer's health watch, which never lets go by itself: what it was told, and how its stream ended. */
final class HealthWatch implements StreamObserver<HealthCheckResponse> {
    final BlockingQueue<ServingStatus> statuses = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();

    static HealthWatch open(Channel channel) {
        HealthWatch w = new HealthWatch();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), w);
        return w;
    }

    @Override
    public void onNext(HealthCheckResponse r) {
        statuses.add(r.getStatus());
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }
}
