package org.ncf4j.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A bundle's data file ({@link BundleFiles#WEIGHTS}) mapped read-only and hashed through those mappings: each
 * table is mapped once (in the pieces a graph declares it in, {@link GraphCheck}; else tables under 2 GB in one
 * mapping, larger ones in pieces of {@link FloatTable#PIECE_BYTES}), the bytes between tables are read, and the
 * SHA-256 of the whole file must match the card's. So the heap never holds the tables, what was hashed is the
 * memory that serves, and a file whose size changes while it is hashed is refused. Pages are the operating
 * system's page cache, shared by whatever maps them; a process reading them only through these mappings has each
 * page resident once.
 */
public final class MappedWeights {
    /** No data file (format 1): no tables, no ranges. */
    static final MappedWeights NONE = new MappedWeights(new TreeMap<>(), Map.of());

    private final NavigableMap<Long, ByteBuffer> mappings; // by where each starts in the file
    private final Map<String, FloatTable> tables;

    private MappedWeights(NavigableMap<Long, ByteBuffer> mappings, Map<String, FloatTable> tables) {
        this.mappings = mappings;
        this.tables = Map.copyOf(tables);
    }

    /** The graphs' weights stored in the data file, by name (a table declared in pieces under its own name). */
    public Map<String, FloatTable> tables() {
        return tables;
    }

    /**
     * The {@code length} bytes at {@code offset} of the data file as one little-endian buffer over the mapping
     * that holds them (shared, not copied: the pages the tables are read from), or empty when no one mapping holds
     * them all: bytes outside the tables, or across the pieces a table over 2 GB is mapped in when the graphs name
     * it whole (a bundle exported before such tables were declared in pieces).
     */
    public Optional<ByteBuffer> range(long offset, long length) {
        Map.Entry<Long, ByteBuffer> m = mappings.floorEntry(offset);
        if (m == null || length < 0 || offset - m.getKey() + length > m.getValue().capacity()) {
            return Optional.empty();
        }
        return Optional.of(m.getValue().slice((int) (offset - m.getKey()), (int) length)
                .order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * @param where the bundle, for messages
     * @param file the data file (checked to be a regular file inside the bundle)
     * @param size its size when the graphs' ranges were checked against it
     * @param tables the external weights of both graphs by name
     * @param sha256 the card's hash of the file
     * @param pieceBytes tables the graphs name whole of twice this or more are mapped in pieces of this size (a
     *     power of two: {@link FloatTable#PIECE_BYTES}, whose twice less one is the largest buffer; tests use
     *     small pieces)
     */
    static MappedWeights map(String where, Path file, long size, Map<String, GraphCheck.External> tables,
                             String sha256, long pieceBytes) throws IOException {
        String name = BundleFiles.WEIGHTS;
        List<GraphCheck.External> regions = new ArrayList<>(tables.values());
        regions.sort(Comparator.comparingLong(GraphCheck.External::offset));
        Map<Long, FloatTable> byOffset = new HashMap<>();
        NavigableMap<Long, ByteBuffer> mappings = new TreeMap<>();
        MessageDigest md = Sha256.digest();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != size) {
                throw changed(where);
            }
            ByteBuffer gap = ByteBuffer.allocate(1 << 16);
            long at = 0;
            GraphCheck.External previous = null;
            for (GraphCheck.External r : regions) {
                if (previous != null && r.offset() == previous.offset() && r.length() == previous.length()
                        && r.pieceLength() == previous.pieceLength()) {
                    continue; // the same table named twice
                }
                if (r.offset() < at) {
                    throw new BundleException(where + "weight '" + r.name() + "' (bytes " + r.offset() + " to "
                            + (r.offset() + r.length()) + ") overlaps weight '" + previous.name() + "' (bytes "
                            + previous.offset() + " to " + at + ") in " + name);
                }
                at = read(ch, at, r.offset(), gap, md, where);
                List<ByteBuffer> pieces = new ArrayList<>();
                long step = r.pieceLength() > 0 && r.pieceLength() <= Integer.MAX_VALUE ? r.pieceLength()
                        : r.length() < 2 * pieceBytes ? Math.max(1, r.length()) : pieceBytes;
                for (long from = 0; from < r.length(); from += step) {
                    MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, r.offset() + from,
                            Math.min(step, r.length() - from));
                    md.update(m.duplicate());
                    pieces.add(m);
                    mappings.put(r.offset() + from, m);
                }
                byOffset.put(r.offset(), pieces.size() == 1 ? FloatTable.of(pieces.get(0)) : FloatTable.of(pieces));
                at = r.offset() + r.length();
                previous = r;
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
        return new MappedWeights(mappings, out);
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
