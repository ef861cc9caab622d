package org.ncf4j.server.config;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

/**
 * The server's TLS contexts from the {@code ncf.security} files, one rule for every port that speaks TLS (gRPC, and
 * the HTTPS listener of REST inference): the PEM certificate chain and key, the client CAs and whether client
 * certificates are required, optional or not asked for. Netty reads the PEM files itself.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * The context for one port; {@code protocol} adds what the port's protocol needs (gRPC's ALPN). Files that
     * cannot be used are a {@link ConfigException} naming them and the port.
     */
    public static SslContext build(SecurityConfig s, String port, UnaryOperator<SslContextBuilder> protocol) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(new File(s.certChain()), new File(s.privateKey()));
            if (!s.clientCa().isEmpty()) {
                b.trustManager(new File(s.clientCa()));
            }
            b.clientAuth(switch (s.auth()) {
                case REQUIRE -> ClientAuth.REQUIRE;
                case OPTIONAL -> ClientAuth.OPTIONAL;
                case NONE -> ClientAuth.NONE;
            });
            return protocol.apply(b).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(List.of("ncf.security: the " + port + " cannot use the certificate files ("
                    + s.certChain() + ", " + s.privateKey() + (s.clientCa().isEmpty() ? "" : ", " + s.clientCa())
                    + "): " + e.getMessage()));
        }
    }
}
