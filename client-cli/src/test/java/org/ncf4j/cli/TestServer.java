package org.ncf4j.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.graph.SyntheticBundles;
import org.ncf4j.contract.Variant;

/**
 * A real ncf4j server in the test's JVM, on free ports, serving a bundle of random weights as {@code demo/1}
 * (NeuMF, users u0..u39, items i0..i23, six seen items per user).
 */
final class TestServer implements AutoCloseable {
    static final ModelShape SHAPE = new ModelShape(Variant.NEUMF, 40, 24, 4, new int[] {8, 4});

    final Path dir;
    final Path bundle;
    final int port;
    /** The HTTP port (health, metrics, the Open Inference Protocol's REST routes). */
    final int httpPort;
    /** The HTTPS port (REST inference when TLS is configured). */
    final int httpsPort;
    private final ApplicationContext context;

    private TestServer(Path dir, Path bundle, int port, int httpPort, int httpsPort, ApplicationContext context) {
        this.dir = dir;
        this.bundle = bundle;
        this.port = port;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.context = context;
    }

    static TestServer start(Map<String, Object> settings) throws IOException {
        Path dir = Files.createTempDirectory("ncf-cli-test");
        Path bundle = dir.resolve("models/demo/1");
        SyntheticBundles.write(bundle, SHAPE, 7, 6);
        int port;
        int http;
        int https;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0);
             ServerSocket c = new ServerSocket(0)) {
            port = a.getLocalPort();
            http = b.getLocalPort();
            https = c.getLocalPort();
        }
        Map<String, Object> p = new HashMap<>(Map.of("ncf.repository", dir.resolve("models").toString(),
                "grpc.server.port", port, "micronaut.server.port", http, "ncf.poll-interval", "1h",
                "ncf.execution-provider", "cpu", "micronaut.server.ssl.port", https));
        p.putAll(settings);
        ApplicationContext context = ApplicationContext.builder().properties(p).banner(false).start();
        try {
            context.getBean(GrpcEmbeddedServer.class).start();
            context.getBean(io.micronaut.runtime.server.EmbeddedServer.class).start();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return new TestServer(dir, bundle, port, http, https, context);
    }

    String target() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        context.close();
    }
}
