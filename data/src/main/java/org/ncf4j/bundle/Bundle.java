package org.ncf4j.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.IdMap;
import org.ncf4j.data.UserItems;

/**
 * A validated model bundle. {@link #read} checks, in this order, that the card parses and has a known format
 * version, that every required file is listed and present with the listed SHA-256, that the id maps, the seen
 * items and the popularity agree with the card's sizes, and that both graphs have the inputs, outputs and weight
 * shapes the card describes, with their external weights inside the data file ({@link GraphCheck}). The first
 * problem found is reported, naming its file.
 *
 * <p>The small files are read once, into memory, and hashed and parsed from those bytes; the data file
 * ({@link BundleFiles#WEIGHTS}, format 2) is memory-mapped and hashed through its mappings ({@link MappedWeights}),
 * never copied into the heap. What was checked is what is used: a file replaced afterwards is not seen (the data
 * file must not be changed in place, as bundles never are). The verified graphs are kept ({@link #scoreModel},
 * {@link #rankModel}) for whoever opens them, until {@link #withoutModels} drops them.
 *
 * @param dir the bundle's directory (its real path)
 * @param card the card
 * @param users external user ids by dense index
 * @param items external item ids by dense index
 * @param seen each user's training items
 * @param popularity training interactions per item
 * @param scoreModel the verified bytes of the scoring graph, or null once dropped
 * @param rankModel the verified bytes of the ranking graph, or null once dropped
 * @param weights the data file as mapped: the graphs' tables and the ranges a runtime may take (none for format 1)
 */
public record Bundle(Path dir, BundleCard card, IdMap users, IdMap items, UserItems seen, int[] popularity,
                     byte[] scoreModel, byte[] rankModel, MappedWeights weights) {

    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The largest file {@link #read} reads into memory by default: the largest array a JVM allocates. The data file
     * is mapped, not read, and has no such limit.
     */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    public Path scoreGraph() {
        return dir.resolve(card.graphs().get(BundleFiles.SCORE_ROLE));
    }

    public Path rankGraph() {
        return dir.resolve(card.graphs().get(BundleFiles.RANK_ROLE));
    }

    /**
     * The graphs' weights stored in the data file, by name, mapped (empty for format 1); a table a graph declares
     * in pieces is here once, whole, under its own name.
     */
    public Map<String, FloatTable> tables() {
        return weights.tables();
    }

    /** The same bundle without the graphs' bytes (after they have been opened). */
    public Bundle withoutModels() {
        return new Bundle(dir, card, users, items, seen, popularity, null, null, weights);
    }

    public static Bundle read(Path location) {
        return read(location, MAX_FILE_BYTES);
    }

    /**
     * The card of the bundle in {@code location}, checked as {@link #read} checks it, without reading the other
     * files: what a loader needs to know before it reads them.
     *
     * @throws BundleException naming the problem
     */
    public static BundleCard card(Path location, long maxFileBytes) {
        String where = "bundle " + location + ": ";
        if (!Files.isDirectory(location)) {
            throw new BundleException(where + "not a directory");
        }
        try {
            Path dir = location.toRealPath();
            return readCard(where, file(where, dir, BundleFiles.CARD, maxFileBytes));
        } catch (IOException e) {
            throw new BundleException(where + "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates a bundle.
     *
     * @param location the bundle directory (it may be a symbolic link; the files in it may not lead outside it)
     * @param maxFileBytes the largest file read into memory (all but the data file)
     * @throws BundleException naming the file and the problem
     */
    public static Bundle read(Path location, long maxFileBytes) {
        return read(location, maxFileBytes, FloatTable.PIECE_BYTES);
    }

    /**
     * As {@link #read(Path, long)}, mapping the data file's tables that the graphs name whole of twice
     * {@code pieceBytes} or more in pieces of {@code pieceBytes} (a power of two): with the default, 1 GiB, the
     * tables over 2 GB, which no single buffer holds; tests pass small pieces to run that path on small bundles.
     * A table the graphs declare in pieces is mapped in those pieces, whatever {@code pieceBytes}.
     */
    public static Bundle read(Path location, long maxFileBytes, long pieceBytes) {
        String where = "bundle " + location + ": ";
        if (!Files.isDirectory(location)) {
            throw new BundleException(where + "not a directory");
        }
        try {
            Path dir = location.toRealPath();
            byte[] cardBytes = file(where, dir, BundleFiles.CARD, maxFileBytes);
            BundleCard card = readCard(where, cardBytes);
            Map<String, byte[]> files = checkFiles(where, dir, card, maxFileBytes);
            Path data = card.files().containsKey(BundleFiles.WEIGHTS) ? file(where, dir, BundleFiles.WEIGHTS) : null;
            long dataBytes = data == null ? -1 : Files.size(data);
            IdMap users = BundleFiles.readIds(where + BundleFiles.USERS, files.get(BundleFiles.USERS));
            IdMap items = BundleFiles.readIds(where + BundleFiles.ITEMS, files.get(BundleFiles.ITEMS));
            expect(where + BundleFiles.USERS, "users", users.size(), card.numUsers());
            expect(where + BundleFiles.ITEMS, "items", items.size(), card.numItems());
            UserItems seen = readSeen(where, files.get(BundleFiles.SEEN), card);
            int[] pop = BundleFiles.readInts(where + BundleFiles.POPULARITY, files.get(BundleFiles.POPULARITY));
            expect(where + BundleFiles.POPULARITY, "items", pop.length == 0 ? -1 : pop[0], card.numItems());
            expect(where + BundleFiles.POPULARITY, "values", pop.length - 1, card.numItems());
            byte[] score = files.get(card.graphs().get(BundleFiles.SCORE_ROLE));
            byte[] rank = files.get(card.graphs().get(BundleFiles.RANK_ROLE));
            ModelShape shape = card.shape(); // readCard has checked that it is one
            Map<String, GraphCheck.External> external = new LinkedHashMap<>(GraphCheck.score(where
                    + card.graphs().get(BundleFiles.SCORE_ROLE), score, shape, dataBytes));
            GraphCheck.rank(where + card.graphs().get(BundleFiles.RANK_ROLE), rank, shape, dataBytes)
                    .forEach((name, r) -> {
                        GraphCheck.External other = external.putIfAbsent(name, r);
                        if (other != null && (other.offset() != r.offset() || other.length() != r.length())) {
                            throw new BundleException(where + "the graphs store weight '" + name + "' at different "
                                    + "places in " + BundleFiles.WEIGHTS + " (bytes " + other.offset() + " and "
                                    + r.offset() + ")");
                        }
                        if (other != null && other.pieceLength() != r.pieceLength()) {
                            throw new BundleException(where + "the graphs declare weight '" + name + "' in different "
                                    + "pieces (" + pieces(other) + " and " + pieces(r) + ")");
                        }
                    });
            MappedWeights weights = data == null ? MappedWeights.NONE : MappedWeights.map(where, data, dataBytes,
                    external, card.files().get(BundleFiles.WEIGHTS), pieceBytes);
            return new Bundle(dir, card, users, items, seen, Arrays.copyOfRange(pop, 1, pop.length), score, rank,
                    weights);
        } catch (BundleException e) {
            throw e;
        } catch (IOException e) {
            throw new BundleException(where + "cannot read: " + e.getMessage(), e);
        }
    }

    private static String pieces(GraphCheck.External e) {
        return e.pieceLength() == 0 ? "whole" : "pieces of " + e.pieceLength() + " bytes";
    }

    /**
     * Reads one file of the bundle ({@link #file(String, Path, String)}), of at most {@code maxBytes}.
     */
    private static byte[] file(String where, Path dir, String name, long maxBytes) throws IOException {
        return BundleFiles.readBounded(where, file(where, dir, name), maxBytes);
    }

    /**
     * One file of the bundle: a plain name in the directory, a regular file (a link is followed only when it stays
     * in the bundle's directory).
     */
    private static Path file(String where, Path dir, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
            throw new BundleException(where + BundleFiles.CARD + " lists a file outside the bundle: " + name);
        }
        Path file = dir.resolve(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleException(where + name + " is missing");
        }
        if (Files.isSymbolicLink(file)) {
            Path target;
            try {
                target = file.toRealPath();
            } catch (IOException e) {
                throw new BundleException(where + name + " is a broken link", e);
            }
            if (!dir.equals(target.getParent())) {
                throw new BundleException(where + name + " is a link to " + target + ", outside the bundle");
            }
            file = target;
        }
        if (!Files.isRegularFile(file)) {
            throw new BundleException(where + name + " is not a regular file");
        }
        return file;
    }

    private static BundleCard readCard(String where, byte[] bytes) {
        BundleCard card;
        try {
            card = JSON.readValue(bytes, BundleCard.class);
        } catch (JsonProcessingException e) {
            throw new BundleException(where + BundleFiles.CARD + " is not a valid card: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BundleException(where + "cannot read " + BundleFiles.CARD + ": " + e.getMessage(), e);
        }
        if (card == null) {
            throw new BundleException(where + BundleFiles.CARD + " is empty");
        }
        if (card.formatVersion() < BundleCard.FIRST_FORMAT_VERSION
                || card.formatVersion() > BundleCard.FORMAT_VERSION) {
            throw new BundleException(where + BundleFiles.CARD + " has format version " + card.formatVersion()
                    + ", this reader knows versions " + BundleCard.FIRST_FORMAT_VERSION + " to "
                    + BundleCard.FORMAT_VERSION);
        }
        if (card.files().isEmpty() || card.graphs().isEmpty() || card.variant().isEmpty()) {
            throw new BundleException(where + BundleFiles.CARD + " lacks 'variant', 'graphs' or 'files'");
        }
        for (String role : new String[] {BundleFiles.SCORE_ROLE, BundleFiles.RANK_ROLE}) {
            String graph = card.graphs().get(role);
            if (graph == null || !card.files().containsKey(graph)) {
                throw new BundleException(where + BundleFiles.CARD + " must name the '" + role + "' graph among "
                        + "its hashed files, found graphs " + card.graphs());
            }
        }
        // the variant as written by the exporter (its label, exactly), so that the checks below name the card's words
        Variant variant = Arrays.stream(Variant.values()).filter(v -> v.label().equals(card.variant())).findFirst()
                .orElseThrow(() -> new BundleException(where + BundleFiles.CARD + " has variant '" + card.variant()
                        + "', expected gmf, mlp or neumf"));
        if (variant.hasGmf() && card.factor() < 1) {
            throw new BundleException(where + BundleFiles.CARD + " gives factor " + card.factor() + " for "
                    + card.variant());
        }
        if (variant.hasMlp() && (card.layers().isEmpty() || card.layers().get(0) < 2)) {
            throw new BundleException(where + BundleFiles.CARD + " gives layers " + card.layers() + " for "
                    + card.variant());
        }
        if (card.numUsers() < 1 || card.numItems() < 1) {
            throw new BundleException(where + BundleFiles.CARD + " gives " + card.numUsers() + " users and "
                    + card.numItems() + " items");
        }
        try {
            card.shape();
        } catch (IllegalArgumentException e) {
            throw new BundleException(where + BundleFiles.CARD + " describes no model: " + e.getMessage(), e);
        }
        return card;
    }

    /**
     * Reads every listed file once, but the data file (mapped later), and checks its hash; returns the bytes by
     * file name.
     */
    private static Map<String, byte[]> checkFiles(String where, Path dir, BundleCard card, long maxBytes)
            throws IOException {
        Map<String, String> listed = card.files();
        for (String name : BundleFiles.required(card.formatVersion())) {
            if (!listed.containsKey(name)) {
                throw new BundleException(where + BundleFiles.CARD + " does not list " + name);
            }
        }
        Map<String, byte[]> out = new HashMap<>();
        for (Map.Entry<String, String> e : listed.entrySet()) {
            if (e.getKey().equals(BundleFiles.WEIGHTS)) {
                continue;
            }
            byte[] bytes = file(where, dir, e.getKey(), maxBytes);
            if (!Sha256.of(bytes).equalsIgnoreCase(String.valueOf(e.getValue()))) {
                throw new BundleException(where + e.getKey() + " does not match its SHA-256 in "
                        + BundleFiles.CARD + " (file changed or truncated; " + bytes.length + " bytes)");
            }
            out.put(e.getKey(), bytes);
        }
        return out;
    }

    private static UserItems readSeen(String where, byte[] bytes, BundleCard card) {
        String name = where + BundleFiles.SEEN;
        int[] v = BundleFiles.readInts(name, bytes);
        if (v.length < 3) {
            throw new BundleException(name + ": too short for a header");
        }
        expect(name, "users", v[0], card.numUsers());
        expect(name, "items", v[1], card.numItems());
        int nnz = v[2];
        if (nnz < 0 || v.length != 3L + card.numUsers() + 1 + nnz) {
            throw new BundleException(name + ": " + v.length + " values do not fit " + card.numUsers()
                    + " users and " + nnz + " items");
        }
        int[] offsets = Arrays.copyOfRange(v, 3, 3 + card.numUsers() + 1);
        int[] items = Arrays.copyOfRange(v, 3 + card.numUsers() + 1, v.length);
        try {
            return UserItems.fromCsr(card.numItems(), offsets, items);
        } catch (IllegalArgumentException e) {
            throw new BundleException(name + ": " + e.getMessage(), e);
        }
    }

    private static void expect(String file, String what, int actual, int expected) {
        if (actual != expected) {
            throw new BundleException(file + " has " + actual + " " + what + ", " + BundleFiles.CARD + " says "
                    + expected);
        }
    }
}
