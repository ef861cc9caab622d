package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from an HTTP server on the loopback interface that serves a small MovieLens-like zip. */
class MovieLensDownloadTest {
    @TempDir
    Path tmp;

    private final byte[] zip = TestZip.ml1m();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private Path cache;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/datasets/ml-1m.zip", exchange -> send(exchange, 200, zip.length));
        server.createContext("/chunked/ml-1m.zip", exchange -> send(exchange, 200, 0));
        server.createContext("/gone/ml-1m.zip", exchange -> send(exchange, 404, -1));
        server.start();
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** Answers with the zip; a length of 0 sends it chunked, -1 sends no body. */
    private void send(HttpExchange exchange, int status, long length) throws IOException {
        requests.incrementAndGet();
        exchange.sendResponseHeaders(status, length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (length >= 0) {
                out.write(zip);
            }
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private List<Path> cacheFiles() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.toList();
        }
    }

    @Test
    void downloadsVerifiesAndReadsTheArchive() throws IOException {
        Path file = MovieLens.download(url("/datasets/ml-1m.zip"), cache, TestZip.md5(zip), null);
        assertEquals(cache.resolve("ml-1m.zip"), file);
        assertArrayEquals(zip, Files.readAllBytes(file));
        assertEquals(List.of(file), cacheFiles(), "no temporary file left");
        Interactions data = MovieLens.read(file, DelimitedFormat.movieLens());
        assertEquals(5, data.size());
        assertEquals(file + "!ml-1m/ratings.dat", data.source());
    }

    @Test
    void acceptsUpperCaseChecksum() {
        MovieLens.download(url("/datasets/ml-1m.zip"), cache, TestZip.md5(zip).toUpperCase(), null);
        assertEquals(1, requests.get());
    }

    @Test
    void verifiedCachedFileIsReusedWithoutRequest() {
        URI url = url("/datasets/ml-1m.zip");
        Path first = MovieLens.download(url, cache, TestZip.md5(zip), null);
        Path second = MovieLens.download(url, cache, TestZip.md5(zip), null);
        assertEquals(first, second);
        assertEquals(1, requests.get());
    }

    @Test
    void cachedFileWithWrongChecksumIsDownloadedAgain() throws IOException {
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("ml-1m.zip"), "truncated");
        List<String> notes = new java.util.ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void progress(long bytesSoFar, long totalBytes) {
            }

            @Override
            public void note(String line) {
                notes.add(line);
            }
        };
        Path file = MovieLens.download(url("/datasets/ml-1m.zip"), cache, TestZip.md5(zip), listener);
        assertEquals(1, requests.get());
        assertEquals(1, notes.size(), "the replaced cached file was not mentioned");
        assertTrue(notes.get(0).contains("has MD5 " + TestZip.md5("truncated".getBytes())) && notes.get(0)
                .contains("expected " + TestZip.md5(zip)), notes.get(0));
        assertArrayEquals(zip, Files.readAllBytes(file));
        assertEquals(List.of(file), cacheFiles());
    }

    @Test
    void checksumMismatchNamesUrlAndBothChecksumsAndLeavesNoFile() throws IOException {
        URI url = url("/datasets/ml-1m.zip");
        String wrong = "0123456789abcdef0123456789abcdef";
        DataException e = assertThrows(MovieLens.ChecksumMismatch.class,
                () -> MovieLens.download(url, cache, wrong, null));
        assertEquals("download of " + url + " failed: MD5 mismatch, expected " + wrong + " but got "
                + TestZip.md5(zip), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void httpErrorNamesUrlAndStatusAndLeavesNoFile() throws IOException {
        URI url = url("/gone/ml-1m.zip");
        DataException e = assertThrows(DataException.class,
                () -> MovieLens.download(url, cache, TestZip.md5(zip), null));
        assertEquals("download of " + url + " failed: HTTP status 404", e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void unreachableServerNamesUrlOnOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/ml-1m.zip");
        DataException e = assertThrows(DataException.class,
                () -> MovieLens.download(url, cache, TestZip.md5(zip), null));
        assertTrue(e.getMessage().startsWith("download of " + url + " failed: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void urlWithoutFileNameIsRejected() {
        DataException e = assertThrows(DataException.class,
                () -> MovieLens.download(url("/datasets/"), cache, TestZip.md5(zip), null));
        assertTrue(e.getMessage().contains("does not end in a file name"), e.getMessage());
        assertEquals(0, requests.get());
    }

    @Test
    void progressEndsWithTheFinalByteCountAndAnnouncedTotal() {
        List<long[]> calls = new ArrayList<>();
        MovieLens.download(url("/datasets/ml-1m.zip"), cache, TestZip.md5(zip), (done, total) ->
                calls.add(new long[] {done, total}));
        assertArrayEquals(new long[] {0, zip.length}, calls.get(0));
        assertArrayEquals(new long[] {zip.length, zip.length}, calls.get(calls.size() - 1));
    }

    @Test
    void progressTotalIsMinusOneWhenServerAnnouncesNoLength() {
        List<long[]> calls = new ArrayList<>();
        MovieLens.download(url("/chunked/ml-1m.zip"), cache, TestZip.md5(zip), (done, total) ->
                calls.add(new long[] {done, total}));
        assertArrayEquals(new long[] {zip.length, -1}, calls.get(calls.size() - 1));
    }
}
