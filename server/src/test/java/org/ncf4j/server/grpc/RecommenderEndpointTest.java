package org.ncf4j.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.ModelInfo;
import org.ncf4j.api.v1.ModelInfoRequest;

class RecommenderEndpointTest {
    @Test
    void aCallTheBlockingExecutorRefusesIsUnavailable() {
        // the io executor refuses work once the server is shutting down; the services are never reached
        RecommenderEndpoint endpoint = new RecommenderEndpoint(null, null, task -> {
            throw new RejectedExecutionException("shut down");
        });
        AtomicReference<Throwable> error = new AtomicReference<>();
        endpoint.getModelInfo(ModelInfoRequest.getDefaultInstance(), new StreamObserver<ModelInfo>() {
            @Override
            public void onNext(ModelInfo value) {
                throw new AssertionError("no answer expected");
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
            }

            @Override
            public void onCompleted() {
                throw new AssertionError("no answer expected");
            }
        });
        assertNotNull(error.get(), "the caller was never answered");
        Status status = Status.fromThrowable(error.get());
        assertEquals(Status.Code.UNAVAILABLE, status.getCode());
        assertTrue(status.getDescription().contains("shutting down"), status.toString());
    }
}
