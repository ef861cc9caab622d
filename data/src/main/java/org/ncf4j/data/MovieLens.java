package org.ncf4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Fetches the MovieLens 1M archive from GroupLens into a local cache, checking its MD5, and reads its
 * {@code ratings.dat} straight from the zip, an extracted directory or the file itself.
 */
public final class MovieLens {
    /** Where GroupLens publishes MovieLens 1M. */
    public static final URI ML_1M_URL = URI.create("https://files.grouplens.org/datasets/movielens/ml-1m.zip");

    /** MD5 of {@code ml-1m.zip}, as published by GroupLens, lower-case hex. */
    public static final String ML_1M_MD5 = "c4d9eecfca2ab87c1945afe126590906";

    /** The terms of use to print whenever the data is downloaded or used, one paragraph per line. */
    public static final String LICENSE_NOTICE = String.join(System.lineSeparator(),
            "MovieLens data is provided by GroupLens Research, University of Minnesota, for research use only; "
                    + "it may not be redistributed or used commercially without their permission, and implies no "
                    + "endorsement by them. See https://grouplens.org/datasets/movielens/ and the README in the "
                    + "archive.",
            "Publications using it must acknowledge it and cite: F. Maxwell Harper and Joseph A. Konstan. 2015. "
                    + "The MovieLens Datasets: History and Context. ACM Transactions on Interactive Intelligent "
                    + "Systems (TiiS) 5, 4, Article 19. https://doi.org/10.1145/2827872");

    private static final String RATINGS = "ratings.dat";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private MovieLens() {
    }

    /** A download arrived whole but is not the file expected: its checksum differs. */
    public static final class ChecksumMismatch extends DataException {
        private static final long serialVersionUID = 1L;

        ChecksumMismatch(String message) {
            super(message);
        }
    }

    /** {@link #download(URI, Path, String, ProgressListener)} of MovieLens 1M from GroupLens. */
    public static Path downloadMl1m(Path cacheDir, ProgressListener listener) {
        return download(ML_1M_URL, cacheDir, ML_1M_MD5, listener);
    }

    /**
     * Returns {@code cacheDir/<last segment of url>}, downloading it only when it is not there already with the
     * expected MD5. The download goes to a temporary file in {@code cacheDir} that replaces the cached file
     * atomically once its checksum is right, so an interrupted or failed download never leaves a partial file;
     * a cached file with the wrong checksum is replaced by the fresh download. The cache directory is created
     * if needed. Redirects are followed.
     *
     * @param url an http or https address whose path ends in a file name
     * @param cacheDir where downloads are kept
     * @param expectedMd5 the file's MD5 in hex, either case
     * @param listener told of the bytes received so far, and why a cached file is fetched again; null for none
     * @return the verified file in the cache
     * @throws DataException with a one-line message naming the url when the server does not answer 200, the
     *     checksum differs (a {@link ChecksumMismatch}, expected and actual MD5 given) or the transfer or a file
     *     operation fails
     */
    public static Path download(URI url, Path cacheDir, String expectedMd5, ProgressListener listener) {
        String name = fileName(url);
        Objects.requireNonNull(expectedMd5, "expectedMd5");
        String expected = expectedMd5.strip().toLowerCase(Locale.ROOT);
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        Path target = cacheDir.resolve(name);
        Path temp = null;
        try {
            if (Files.isRegularFile(target)) {
                String cached = md5(target);
                if (expected.equals(cached)) {
                    return target;
                }
                progress.note(String.format("the cached %s has MD5 %s, expected %s: downloading it again", target,
                        cached, expected));
            }
            Files.createDirectories(cacheDir);
            temp = Files.createTempFile(cacheDir, name + ".", ".part");
            String actual = fetch(url, temp, progress);
            if (!actual.equals(expected)) {
                throw new ChecksumMismatch(String.format("download of %s failed: MD5 mismatch, expected %s but "
                        + "got %s", url, expected, actual));
            }
            moveAtomically(temp, target);
            temp = null;
            return target;
        } catch (IOException e) {
            throw new DataException("download of " + url + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("download of " + url + " was interrupted", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // nothing more to do: the temporary file's name marks it as partial
                }
            }
        }
    }

    /**
     * Reads MovieLens ratings from {@code location}: a {@code ratings.dat} file, a directory holding
     * {@code ratings.dat} or {@code ml-1m/ratings.dat}, or a zip with an entry named {@code ratings.dat} in any
     * folder (read without extracting; the interactions' source is then {@code <zip>!<entry>}).
     *
     * @throws DataException with a one-line message when nothing readable is found, the zip is unreadable or a
     *     line does not match {@code format}
     */
    public static Interactions read(Path location, DelimitedFormat format) {
        DelimitedReader reader = new DelimitedReader(format);
        if (Files.isDirectory(location)) {
            for (Path candidate : new Path[] {location.resolve(RATINGS), location.resolve("ml-1m").resolve(RATINGS)}) {
                if (Files.isRegularFile(candidate)) {
                    return reader.read(candidate);
                }
            }
            throw new DataException("MovieLens ratings not found: " + location + " holds neither " + RATINGS
                    + " nor ml-1m/" + RATINGS);
        }
        if (!Files.isRegularFile(location)) {
            throw new DataException("MovieLens ratings not found: " + location);
        }
        if (!location.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            return reader.read(location);
        }
        try (ZipFile zip = new ZipFile(location.toFile())) {
            ZipEntry entry = ratingsEntry(zip);
            if (entry == null) {
                throw new DataException("MovieLens ratings not found: " + location + " has no " + RATINGS + " entry");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return reader.read(location + "!" + entry.getName(), in);
            }
        } catch (ZipException e) {
            throw new DataException(location + ": not a readable zip file (" + describe(e) + ")", e);
        } catch (NoSuchFileException e) {
            throw new DataException("MovieLens ratings not found: " + location, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + location + ": " + describe(e), e);
        }
    }

    private static ZipEntry ratingsEntry(ZipFile zip) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            String n = e.getName();
            if (!e.isDirectory() && (n.equals(RATINGS) || n.endsWith("/" + RATINGS))) {
                return e;
            }
        }
        return null;
    }

    /** Streams the body of a 200 answer into {@code file}, returning its MD5. */
    private static String fetch(URI url, Path file, ProgressListener progress)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new DataException("download of " + url + " failed: HTTP status " + response.statusCode());
            }
            return copy(in, file, response.headers().firstValueAsLong("Content-Length").orElse(-1L), progress);
        }
    }

    /** Copies {@code in} to {@code file}, reporting progress, and returns the MD5 of what was copied. */
    private static String copy(InputStream in, Path file, long total, ProgressListener progress) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            MessageDigest md5 = newMd5();
            byte[] buf = new byte[1 << 16];
            long done = 0;
            progress.progress(0, total);
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                md5.update(buf, 0, n);
                done += n;
                progress.progress(done, total);
            }
            return HexFormat.of().formatHex(md5.digest());
        }
    }

    private static String md5(Path file) throws IOException {
        MessageDigest md5 = newMd5();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                md5.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides MD5", e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String fileName(URI url) {
        String path = url.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new DataException("cannot download " + url + ": its path does not end in a file name");
        }
        return name;
    }

    /** An exception's message on one line, or its type when it has none. */
    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
