package org.ncf4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small zip archives and checksums for tests. */
final class TestZip {
    static final String RATINGS = "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n"
            + "2::3068::4::978299000\n3::661::2::978297000\n";

    private TestZip() {
    }

    /** A zip of the given entries, alternating names and text contents. */
    static byte[] of(String... namesAndContents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry(namesAndContents[i]));
                zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A zip laid out like GroupLens' ml-1m.zip, with {@link #RATINGS} as its ratings. */
    static byte[] ml1m() {
        return of("ml-1m/", "", "ml-1m/README", "read me", "ml-1m/ratings.dat", RATINGS);
    }

    static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
