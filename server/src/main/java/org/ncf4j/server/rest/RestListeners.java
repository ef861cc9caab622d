package org.ncf4j.server.rest;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration.NettyListenerConfiguration;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.inject.Singleton;
import java.util.List;
import org.ncf4j.server.config.SecurityConfig;

/**
 * With TLS configured ({@code ncf.security}), the HTTP server listens on two ports: its plaintext port
 * ({@code micronaut.server.port}, HTTP_PORT) for probes, metrics and the protocol's health and metadata, and a TLS
 * port ({@code micronaut.server.ssl.port}, 8443) under the gRPC port's certificate and client-certificate rules
 * ({@link RestTls}), the only one that serves REST inference. Without TLS, nothing changes.
 */
@Singleton
public class RestListeners implements BeanCreatedEventListener<NettyHttpServerConfiguration> {
    private final SecurityConfig security;
    private final ServerSslConfiguration ssl;

    public RestListeners(SecurityConfig security, ServerSslConfiguration ssl) {
        this.security = security;
        this.ssl = ssl;
    }

    @Override
    public NettyHttpServerConfiguration onCreated(BeanCreatedEvent<NettyHttpServerConfiguration> event) {
        NettyHttpServerConfiguration c = event.getBean();
        if (security.tls()) {
            c.setListeners(List.of(listener("http", c.getPort().orElse(8080), false),
                    listener("https", ssl.getPort(), true)));
        }
        return c;
    }

    private static NettyListenerConfiguration listener(String name, int port, boolean tls) {
        NettyListenerConfiguration l = new NettyListenerConfiguration(name);
        l.setFamily(NettyListenerConfiguration.Family.TCP);
        l.setPort(port);
        l.setSsl(tls);
        return l;
    }
}
