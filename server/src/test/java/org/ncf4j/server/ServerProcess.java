package org.ncf4j.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server as its own process ({@code java org.ncf4j.server.Application} on the test classpath), as Kubernetes
 * runs it: to send it signals and watch how it exits.
 */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final int port;
    final int httpPort;
    final List<String> output = new CopyOnWriteArrayList<>();
    /** True once the server says it is ready, false if its output ends first. */
    private final CompletableFuture<Boolean> ready = new CompletableFuture<>();
    private final Thread reader;

    private ServerProcess(Process process, int port, int httpPort) {
        this.process = process;
        this.port = port;
        this.httpPort = httpPort;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                    if (line.contains(" ready in ")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                output.add("(reading the output failed: " + e + ")");
            } finally {
                ready.complete(false); // the process has ended (or closed its output) without being ready
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a server on {@code repository} with free ports and {@code settings} as -D properties. */
    static ServerProcess start(Path repository, Path errorDir, String... settings) throws IOException {
        int port;
        int http;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            port = a.getLocalPort();
            http = b.getLocalPort();
        }
        return start(repository, errorDir, port, http, settings);
    }

    static ServerProcess start(Path repository, Path errorDir, int port, int http, String... settings)
            throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-Xmx256m", "-XX:ErrorFile="
                        + errorDir.resolve("hs_err_pid%p.log"), "-cp", classpath,
                "-Dncf.repository=" + repository, "-Dgrpc.server.port=" + port, "-Dmicronaut.server.port=" + http,
                "-Dncf.execution-provider=cpu", "-Dncf.poll-interval=0s"));
        for (String s : settings) {
            cmd.add("-D" + s);
        }
        cmd.add("org.ncf4j.server.Application");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return new ServerProcess(p, port, http);
    }

    /** Waits for the line saying the server is ready; false when it exits or the time runs out first. */
    boolean awaitReady(long seconds) throws InterruptedException {
        try {
            return ready.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The exit code, after waiting for the output to end too. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not exit within " + seconds + " s:\n" + String.join("\n",
                    output));
        }
        reader.join(5000);
        return process.exitValue();
    }

    String log() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
