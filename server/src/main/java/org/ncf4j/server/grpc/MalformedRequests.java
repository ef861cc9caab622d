package org.ncf4j.server.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Answers a request that does not parse with INVALID_ARGUMENT, naming the problem. It wraps a service whose
 * messages arrive as streams ({@code ServerInterceptors.useInputStreamMessages}), where parsing happens inside the
 * listener's {@code onMessage}; left to itself, gRPC answers such a request with UNKNOWN, "Application error".
 */
final class MalformedRequests implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                try {
                    super.onMessage(message);
                } catch (RuntimeException e) {
                    refused = true;
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    call.close(Status.INVALID_ARGUMENT.withDescription("malformed request for "
                            + call.getMethodDescriptor().getFullMethodName() + ": " + cause.getMessage()),
                            new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
