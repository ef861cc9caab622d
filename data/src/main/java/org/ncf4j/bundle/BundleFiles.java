package org.ncf4j.bundle;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    public static final String USERS = "users.txt";
    public static final String ITEMS = "items.txt";
    public static final String SEEN = "seen.csr";
    public static final String POPULARITY = "popularity.bin";
    /** Every file a bundle must hold besides the card. */
    public static final List<String> REQUIRED = List.of(SCORE_GRAPH, RANK_GRAPH, USERS, ITEMS, SEEN, POPULARITY);

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

    static IdMap readIds(Path file) throws IOException {
        IdMap map = new IdMap();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (map.add(line) != lineNo - 1) {
                throw new BundleException(file.getFileName() + ": id '" + line + "' on line " + lineNo
                        + " appears twice");
            }
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

    /** Reads a file of little-endian int32 values; a length that is not a multiple of 4 is an error. */
    static int[] readInts(Path file) throws IOException {
        long size = Files.size(file);
        if (size % 4 != 0) {
            throw new BundleException(file.getFileName() + ": " + size + " bytes is not a whole number of int32 "
                    + "values (truncated?)");
        }
        int[] out = new int[(int) (size / 4)];
        try (InputStream in = new DataInputStream(Files.newInputStream(file))) {
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().get(out);
        }
        return out;
    }
}
