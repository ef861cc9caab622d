package org.ncf4j.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a bundle's data file ({@link BundleFiles#WEIGHTS}) read-only and hashes it through those mappings: each
 * table is mapped once (tables under 2 GB in one mapping, larger ones in pieces of {@link FloatTable#PIECE_BYTES}),
 * the bytes between tables are read, and the SHA-256 of the whole file must match the card's. So the heap never
 * holds the tables, what was hashed is the memory that serves, and a file whose size changes while it is hashed is
 * refused. Pages are the operating system's page cache, shared by whatever maps them.
 */
final class MappedWeights {
    private MappedWeights() {
    }

    /**
     * @param where the bundle, for messages
     * @param file the data file (checked to be a regular file inside the bundle)
     * @param size its size when the graphs' ranges were checked against it
     * @param tables the external weights of both graphs by name
     * @param sha256 the card's hash of the file
     * @param pieceBytes tables of twice this or more are mapped in pieces of this size (a power of two:
     *     {@link FloatTable#PIECE_BYTES}, whose twice less one is the largest buffer; tests use small pieces)
     */
    static Map<String, FloatTable> map(String where, Path file, long size, Map<String, GraphCheck.External> tables,
                                       String sha256, long pieceBytes) throws IOException {
        String name = BundleFiles.WEIGHTS;
        List<GraphCheck.External> regions = new ArrayList<>(tables.values());
        regions.sort(Comparator.comparingLong(GraphCheck.External::offset));
        Map<Long, FloatTable> byOffset = new HashMap<>();
        MessageDigest md = Sha256.digest();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != size) {
                throw changed(where);
            }
            ByteBuffer gap = ByteBuffer.allocate(1 << 16);
            long at = 0;
            for (GraphCheck.External r : regions) {
                if (byOffset.containsKey(r.offset())) {
                    continue; // the same table named twice
                }
                if (r.offset() < at) {
                    throw new BundleException(where + "weight '" + r.name() + "' overlaps another table in " + name);
                }
                at = read(ch, at, r.offset(), gap, md, where);
                List<ByteBuffer> pieces = new ArrayList<>();
                long step = r.length() < 2 * pieceBytes ? Math.max(1, r.length()) : pieceBytes;
                for (long from = 0; from < r.length(); from += step) {
                    MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, r.offset() + from,
                            Math.min(step, r.length() - from));
                    md.update(m.duplicate());
                    pieces.add(m);
                }
                byOffset.put(r.offset(), pieces.size() == 1 ? FloatTable.of(pieces.get(0)) : FloatTable.of(pieces));
                at = r.offset() + r.length();
            }
            read(ch, at, size, gap, md, where);
            if (ch.size() != size) {
                throw changed(where);
            }
        }
        String actual = java.util.HexFormat.of().formatHex(md.digest());
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new BundleException(where + name + " does not match its SHA-256 in " + BundleFiles.CARD
                    + " (file changed or truncated; " + size + " bytes)");
        }
        Map<String, FloatTable> out = new LinkedHashMap<>();
        tables.forEach((n, r) -> out.put(n, byOffset.get(r.offset())));
        return out;
    }

    /** Hashes the file's bytes from {@code from} to {@code to} as read. */
    private static long read(FileChannel ch, long from, long to, ByteBuffer buf, MessageDigest md, String where)
            throws IOException {
        while (from < to) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - from));
            int n = ch.read(buf, from);
            if (n < 0) {
                throw changed(where);
            }
            md.update(buf.array(), 0, n);
            from += n;
        }
        return from;
    }

    private static BundleException changed(String where) {
        return new BundleException(where + BundleFiles.WEIGHTS + " changed while it was read (still being copied?)");
    }
}
