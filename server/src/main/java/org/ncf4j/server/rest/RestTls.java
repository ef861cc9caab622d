package org.ncf4j.server.rest;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.netty.ssl.CertificateProvidedSslBuilder;
import io.micronaut.http.server.netty.ssl.ServerSslBuilder;
import io.micronaut.http.ssl.ServerSslConfiguration;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jakarta.inject.Singleton;
import java.io.File;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.ncf4j.server.config.ConfigException;
import org.ncf4j.server.config.SecurityConfig;

/**
 * The HTTP server's TLS, from the same {@code ncf.security} files and client-certificate rule as the gRPC port: with
 * TLS configured, the HTTP server listens twice ({@link RestListeners}), in plaintext for health, metrics and the
 * protocol's metadata, and with this context on {@code micronaut.server.ssl.port} (8443), where REST inference is
 * served. Netty reads the PEM files itself, as for gRPC.
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
        if (!security.tls()) {
            return Optional.empty();
        }
        try {
            SslContextBuilder b = SslContextBuilder.forServer(new File(security.certChain()),
                    new File(security.privateKey()));
            if (!security.clientCa().isEmpty()) {
                b.trustManager(new File(security.clientCa()));
            }
            b.clientAuth(switch (security.auth()) {
                case REQUIRE -> ClientAuth.REQUIRE;
                case OPTIONAL -> ClientAuth.OPTIONAL;
                case NONE -> ClientAuth.NONE;
            });
            return Optional.of(b.build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(java.util.List.of("ncf.security: the HTTPS listener cannot use the certificate "
                    + "files (" + security.certChain() + ", " + security.privateKey() + "): " + e.getMessage()));
        }
    }
}
