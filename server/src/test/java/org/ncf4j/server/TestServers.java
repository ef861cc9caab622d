package org.ncf4j.server;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What a server test needs before Micronaut starts: a repository, a free port and a channel to it. */
final class TestServers {
    /**
     * @param dir the test's directory (the repository is {@code dir/models})
     * @param properties the server's configuration for the test
     * @param channel a plaintext channel to the server's port
     */
    record Setup(Path dir, Map<String, String> properties, ManagedChannel channel) {
    }

    private TestServers() {
    }

    /**
     * A temporary repository, with a small bundle of random weights as {@code demo/1} when {@code withBundle}, and
     * configuration for it plus {@code extra}.
     */
    static Setup create(boolean withBundle, Map<String, String> extra) {
        try {
            Path dir = Files.createTempDirectory("ncf-server-test");
            Files.createDirectories(dir.resolve("models"));
            if (withBundle) {
                TestBundles.write(dir.resolve("models/demo/1"), 1);
            }
            int port;
            int httpPort;
            try (ServerSocket s = new ServerSocket(0); ServerSocket h = new ServerSocket(0)) {
                port = s.getLocalPort();
                httpPort = h.getLocalPort();
            }
            Map<String, String> properties = new HashMap<>(Map.of("ncf.repository",
                    dir.resolve("models").toString(), "grpc.server.port", Integer.toString(port),
                    "micronaut.server.port", Integer.toString(httpPort), "ncf.poll-interval", "1h",
                    "ncf.execution-provider", "cpu"));
            properties.putAll(extra);
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            return new Setup(dir, properties, channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
