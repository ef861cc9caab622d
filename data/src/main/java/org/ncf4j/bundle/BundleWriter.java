package org.ncf4j.bundle;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ncf4j.data.Directories;
import org.ncf4j.data.IdMap;
import org.ncf4j.data.UserItems;

/**
 * Writes a bundle atomically: every file goes into a hidden sibling directory, the card (with the SHA-256 of each
 * file) last, and the directory is then renamed into place. A crash leaves only the hidden directory, which no
 * reader takes for a bundle; an existing bundle is never overwritten.
 */
public final class BundleWriter {
    private BundleWriter() {
    }

    /**
     * Refuses an existing bundle directory: bundles are immutable, so a new model goes to a new version.
     *
     * @throws FileAlreadyExistsException naming the directory
     */
    public static void requireAbsent(Path dir) throws FileAlreadyExistsException {
        if (Files.exists(dir)) {
            throw new FileAlreadyExistsException(dir + " exists: bundles are immutable, export to a new version "
                    + "directory");
        }
    }

    /**
     * @param dir the bundle directory to create (for example {@code models/neumf/3}); must not exist
     * @param card the card; its {@code files} are filled in here
     * @param scoreGraph the serialized pair-scoring ONNX model
     * @param rankGraph the serialized ranking ONNX model
     * @param weights the tables the graphs refer to as external data, written as {@link BundleFiles#WEIGHTS}; null
     *     for graphs that hold their tables inline (format 1, for tests of older bundles)
     * @param users external user ids
     * @param items external item ids
     * @param seen each user's training items
     * @param popularity training interactions per item
     * @return the card as written
     */
    public static BundleCard write(Path dir, BundleCard card, byte[] scoreGraph, byte[] rankGraph,
                                   WeightsFile weights, IdMap users, IdMap items, UserItems seen, int[] popularity)
            throws IOException {
        if ((weights == null) != (card.formatVersion() == 1)) {
            throw new IllegalArgumentException("a bundle of format " + card.formatVersion() + " "
                    + (weights == null ? "needs" : "has no") + " data file");
        }
        requireAbsent(dir);
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // not Files.createTempDirectory, which makes the directory private (0700): a server running as another
        // user must be able to read the bundle, so the directory gets the usual permissions (the umask's)
        Path tmp = parent.resolve("." + dir.getFileName() + ".partial-" + Long.toHexString(System.nanoTime())
                + "-" + ProcessHandle.current().pid());
        Files.createDirectory(tmp);
        try {
            Files.write(tmp.resolve(BundleFiles.SCORE_GRAPH), scoreGraph);
            Files.write(tmp.resolve(BundleFiles.RANK_GRAPH), rankGraph);
            if (weights != null) {
                weights.write(tmp.resolve(BundleFiles.WEIGHTS));
            }
            BundleFiles.writeIds(tmp.resolve(BundleFiles.USERS), users);
            BundleFiles.writeIds(tmp.resolve(BundleFiles.ITEMS), items);
            BundleFiles.writeInts(tmp.resolve(BundleFiles.SEEN), new int[] {seen.numUsers(), seen.numItems(),
                seen.size()}, seen.offsets(), seen.flatItems());
            BundleFiles.writeInts(tmp.resolve(BundleFiles.POPULARITY), new int[] {popularity.length}, popularity);
            Map<String, String> hashes = new LinkedHashMap<>();
            for (String name : BundleFiles.required(card.formatVersion())) {
                hashes.put(name, Sha256.of(tmp.resolve(name)));
            }
            BundleCard written = card.withFiles(hashes);
            Bundle.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(tmp.resolve(BundleFiles.CARD).toFile(), written);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return written;
        } finally {
            Directories.deleteTree(tmp);
        }
    }
}
