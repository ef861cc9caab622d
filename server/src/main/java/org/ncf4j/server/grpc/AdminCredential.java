package org.ncf4j.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Guards the administrative methods (Reload) with a token: a call without {@code authorization: Bearer <token>}
 * is refused UNAUTHENTICATED, one with another token PERMISSION_DENIED, before the method runs. Tokens are
 * compared in constant time. Without a configured token every call passes.
 */
final class AdminCredential implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    static final Set<String> GUARDED = Set.of("ncf.v1.Recommender/Reload");

    private final byte[] token;

    AdminCredential(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (token.length == 0 || !GUARDED.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        Status refused = check(headers.get(AUTHORIZATION));
        if (refused == null) {
            return next.startCall(call, headers);
        }
        call.close(refused, new Metadata());
        return new ServerCall.Listener<>() { };
    }

    /** Null when the header carries the token, else the status to refuse the call with. */
    Status check(String header) {
        if (header == null || header.isBlank()) {
            return Status.UNAUTHENTICATED.withDescription("Reload needs the admin token: send the metadata "
                    + "'authorization: Bearer <token>' (ncf reload --token)");
        }
        String given = header.startsWith("Bearer ") ? header.substring("Bearer ".length()).strip() : header.strip();
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            return Status.PERMISSION_DENIED.withDescription("the admin token given for Reload is not the server's");
        }
        return null;
    }
}
