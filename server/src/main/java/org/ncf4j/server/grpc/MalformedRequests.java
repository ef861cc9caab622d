package org.ncf4j.server.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;

/**
 * Answers a request that does not parse with INVALID_ARGUMENT, naming the method and the problem, for any service
 * it wraps ({@link #wrap}). Left to itself, gRPC parses a request before any interceptor sees it and answers bytes
 * that are not a valid message with UNKNOWN, logging a stack trace; a service wrapped here takes its messages as
 * raw streams instead, which are parsed inside this interceptor's listener.
 */
final class MalformedRequests implements ServerInterceptor {
    /** The service, parsing its requests where a parse failure can be answered properly. */
    static ServerServiceDefinition wrap(ServerServiceDefinition service) {
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service),
                new MalformedRequests());
    }

    static ServerServiceDefinition wrap(BindableService service) {
        return wrap(service.bindService());
    }

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
                    String method = call.getMethodDescriptor().getFullMethodName();
                    Status status = parseFailure(e)
                            ? Status.INVALID_ARGUMENT.withDescription(Statuses.cap("malformed request for " + method
                                    + ": " + rootMessage(e)))
                            : Statuses.of(method, e);
                    call.close(status, new Metadata());
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

    private static boolean parseFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidProtocolBufferException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
