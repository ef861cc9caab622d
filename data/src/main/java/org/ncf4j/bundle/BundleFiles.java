package org.ncf4j.bundle;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ncf4j.data.IdMap;

/**
 * The file names of a bundle and the encodings of its data files. Binary files are little-endian int32:
 * {@code seen.csr} is {@code numUsers, numItems, nnz, offsets[numUsers + 1], items[nnz]} (each user's training
 * items, sorted), {@code popularity.bin} is {@code numItems, counts[numItems]} (training interactions per item).
 * Id maps are UTF-8 text, one external id per line in index order.
 */
public final class BundleFiles {
    public static final String CARD = "card.json";
    public static final String SCORE_GRAPH = "score.onnx";
    public static final String RANK_GRAPH = "rank.onnx";
    /** The card's role of the pair-scoring graph (its key in {@link BundleCard#graphs}). */
    public static final String SCORE_ROLE = "score";
    /** The card's role of the whole-catalogue ranking graph. */
    public static final String RANK_ROLE = "rank";
    public static final String USERS = "users.txt";
    public static final String ITEMS = "items.txt";
    public static final String SEEN = "seen.csr";
    public static final String POPULARITY = "popularity.bin";
    /** The data file (format 2 on): the model's tables, once, for both graphs ({@link WeightsFile}). */
    public static final String WEIGHTS = "weights.bin";
    /** Every file a bundle of format 1 must hold besides the card (its graphs hold their tables inline). */
    public static final List<String> REQUIRED_V1 = List.of(SCORE_GRAPH, RANK_GRAPH, USERS, ITEMS, SEEN, POPULARITY);
    /** Every file a bundle must hold besides the card. */
    public static final List<String> REQUIRED = List.of(SCORE_GRAPH, RANK_GRAPH, WEIGHTS, USERS, ITEMS, SEEN,
            POPULARITY);

    /** The files a bundle of this format version must hold besides the card. */
    public static List<String> required(int formatVersion) {
        return formatVersion == 1 ? REQUIRED_V1 : REQUIRED;
    }

    private BundleFiles() {
    }

    static void writeIds(Path file, IdMap ids) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (String id : ids.ids()) {
                if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
                    throw new IOException("id '" + id + "' contains a line break");
                }
                out.write(id.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
    }

    /** Parses an id map: one UTF-8 id per line (a line ends at \n, \r or \r\n). */
    static IdMap readIds(String file, byte[] bytes) throws IOException {
        IdMap map = new IdMap();
        int lineNo = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8.newDecoder()))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (map.add(line) != lineNo - 1) {
                    String shown = line.length() > 64 ? line.substring(0, 64) + "..." : line;
                    throw new BundleException(file + ": id '" + shown + "' on line " + lineNo + " appears twice");
                }
            }
        } catch (CharacterCodingException e) {
            throw new BundleException(file + ": not UTF-8 text (line " + (lineNo + 1) + ")", e);
        }
        return map;
    }

    static void writeInts(Path file, int[]... parts) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (int[] part : parts) {
                for (int v : part) {
                    b.clear();
                    b.putInt(v);
                    out.write(b.array());
                }
            }
        }
    }

    /** Parses little-endian int32 values; a length that is not a multiple of 4 is an error. */
    static int[] readInts(String file, byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new BundleException(file + ": " + bytes.length + " bytes is not a whole number of int32 values "
                    + "(truncated?)");
        }
        int[] out = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /**
     * Reads a whole file of at most {@code maxBytes}; a larger one is refused before anything is allocated, and
     * one whose size changes while it is read (a copy in progress) is refused too.
     */
    static byte[] readBounded(String where, Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new BundleException(where + file.getFileName() + " is " + size + " bytes, more than the largest "
                    + "bundle file allowed (" + maxBytes + " bytes)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length != size || in.read() >= 0) {
                throw new BundleException(where + file.getFileName() + " changed while it was read (still being "
                        + "copied?)");
            }
            return bytes;
        }
    }
}
