package org.ncf4j.server.rest;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.netty.ssl.CertificateProvidedSslBuilder;
import io.micronaut.http.server.netty.ssl.ServerSslBuilder;
import io.micronaut.http.ssl.ServerSslConfiguration;
import io.netty.handler.ssl.SslContext;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.ncf4j.server.config.SecurityConfig;
import org.ncf4j.server.config.TlsContexts;

/**
 * The HTTP server's TLS, from the same {@code ncf.security} files and client-certificate rule as the gRPC port: with
 * TLS configured, the HTTP server listens twice ({@link RestListeners}), in plaintext for health, metrics and the
 * protocol's metadata, and with this context on {@code micronaut.server.ssl.port} (8443), where REST inference is
 * served. The context is built as the gRPC port's is ({@link TlsContexts}).
 */
@Singleton
@Requires(property = "ncf.security.cert-chain")
@Replaces(CertificateProvidedSslBuilder.class)
public class RestTls implements ServerSslBuilder {
    private final ServerSslConfiguration configuration;
    private final SecurityConfig security;

    public RestTls(ServerSslConfiguration configuration, SecurityConfig security) {
        this.configuration = configuration;
        this.security = security;
    }

    @Override
    public ServerSslConfiguration getSslConfiguration() {
        return configuration;
    }

    @Override
    public Optional<SslContext> build() {
        return security.tls() ? Optional.of(TlsContexts.build(security, "HTTPS listener", b -> b))
                : Optional.empty();
    }
}
