package org.ncf4j.cli;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ncf4j.api.v1.RecommenderGrpc;
import picocli.CommandLine.Option;

/**
 * How a command reaches the server: the target, TLS and the deadline of each call; shared by every command as a
 * picocli mixin. {@code dns:///host:port} targets are balanced round-robin over every address the name resolves
 * to (a headless Kubernetes Service); a plain {@code host:port} is one server.
 */
public final class Connection {
    /** The metadata key carrying the admin credential, as {@code Bearer <token>}. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "${env:NCF_TARGET:-localhost:50051}",
            description = "The server: host:port, or dns:///host:port to balance over every address of a name "
                    + "(default: $NCF_TARGET, else localhost:50051).")
    String target;

    @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "Deadline of each call, e.g. 500ms, 10s, 2m (default: ${DEFAULT-VALUE}).")
    Duration deadline;

    @Option(names = "--tls", description = "Use TLS (implied by --ca, --cert and --key).")
    boolean tls;

    @Option(names = "--ca", paramLabel = "FILE", description = "PEM certificates to trust for the server's "
            + "certificate (default: the JVM's trusted roots).")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM client certificate chain, for mutual TLS "
            + "(with --key).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM (PKCS#8) private key of --cert.")
    Path key;

    @Option(names = "--authority", paramLabel = "NAME", description = "The name to check the server's certificate "
            + "against and send as :authority, when it differs from the target's host.")
    String authority;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:NCF_TOKEN}", description = "The admin "
            + "credential for reload, when the server requires one (default: $NCF_TOKEN).")
    String token;

    /** Opens a channel to the target; the caller shuts it down. */
    public ManagedChannel open() {
        return builder().build();
    }

    /**
     * Opens a channel whose calls complete on the transport's own thread, with no hand-off to an executor: for
     * callers whose callbacks only record and start the next call, never block (a load generator).
     */
    public ManagedChannel openDirect() {
        return builder().directExecutor().build();
    }

    private ManagedChannelBuilder<?> builder() {
        ChannelCredentials credentials = credentials();
        ManagedChannelBuilder<?> b = Grpc.newChannelBuilder(target, credentials)
                .defaultLoadBalancingPolicy("round_robin").maxInboundMessageSize(64 << 20);
        if (authority != null) {
            b.overrideAuthority(authority);
        }
        return b;
    }

    /** A channel that adds the admin credential to every call, when one is given. */
    public Channel withToken(Channel channel) {
        if (token == null || token.isEmpty()) {
            return channel;
        }
        String value = "Bearer " + token;
        return ClientInterceptors.intercept(channel, new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
                                                          Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<A> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, value);
                        super.start(listener, headers);
                    }
                };
            }
        });
    }

    /** A blocking stub for one call, with the deadline. */
    public RecommenderGrpc.RecommenderBlockingStub blocking(Channel channel) {
        return withDeadline(RecommenderGrpc.newBlockingStub(channel));
    }

    /** Any stub, for one call, with the deadline (which counts from now). */
    public <S extends AbstractStub<S>> S withDeadline(S stub) {
        return stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    public String target() {
        return target;
    }

    public Duration deadline() {
        return deadline;
    }

    private ChannelCredentials credentials() {
        boolean secure = tls || ca != null || cert != null || key != null;
        if (!secure) {
            return InsecureChannelCredentials.create();
        }
        if ((cert == null) != (key == null)) {
            throw new UsageException("--cert and --key go together (mutual TLS needs both)");
        }
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        try {
            if (ca != null) {
                b.trustManager(InputFiles.readable("--ca", ca).toFile());
            }
            if (cert != null) {
                b.keyManager(InputFiles.readable("--cert", cert).toFile(), InputFiles.readable("--key", key).toFile());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot use the TLS files: " + e.getMessage());
        }
        return b.build();
    }
}
