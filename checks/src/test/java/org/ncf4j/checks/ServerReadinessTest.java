package org.ncf4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * bin/lib/serving.sh's {@code ncf_await_ready}, which every script that starts a server waits with, against stand-ins
 * for the server's two ports: an HTTP server whose {@code /health} answers a chosen status, and a socket that takes
 * connections where gRPC would listen. Each outcome has its exit code and its line.
 */
class ServerReadinessTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private HttpServer http;
    private ServerSocket grpc;

    @AfterEach
    void stop() throws IOException {
        if (http != null) {
            http.stop(0);
        }
        if (grpc != null) {
            grpc.close();
        }
    }

    private int health(int status) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        http.start();
        return http.getAddress().getPort();
    }

    private int grpcPort() throws IOException {
        grpc = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return grpc.getLocalPort();
    }

    /** A port nothing listens on: one that was free a moment ago. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs {@code ncf_await_ready}; returns its exit code and what it printed. */
    private static Result await(int grpcPort, int httpPort, int seconds, String alive) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". bin/lib/serving.sh && ncf_await_ready 'the server' "
                + grpcPort + " " + httpPort + " " + seconds + " " + alive).directory(ROOT.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ncf_await_ready did not return");
        return new Result(p.exitValue(), out);
    }

    private record Result(int code, String out) {
    }

    @Test
    void aServerWhoseHealthIsUpAndWhoseGrpcPortListensIsReady() throws Exception {
        Result r = await(grpcPort(), health(200), 10, "true");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("the server is ready after"), r.out());
    }

    @Test
    void aServerUpWithoutAModelIsToldApartAtOnce() throws Exception {
        Result r = await(grpcPort(), health(503), 60, "true");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("the server started but serves no model (HTTP /health on port"), r.out());
    }

    @Test
    void aServerWhoseProcessEndedStoppedWhileStarting() throws Exception {
        Result r = await(closedPort(), closedPort(), 60, "false");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("the server stopped while starting"), r.out());
    }

    @Test
    void healthUpBeforeTheGrpcPortListensIsNotReadyYet() throws Exception {
        Result r = await(closedPort(), health(200), 1, "true");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("the server is not ready after 1 s"), r.out());
    }
}
