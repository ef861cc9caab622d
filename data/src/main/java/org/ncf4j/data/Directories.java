package org.ncf4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-system helpers shared by the writers of checkpoints, bundles, reports and charts. */
public final class Directories {
    private Directories() {
    }

    /** Writes a file's content to the path it is given. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path to) throws IOException;
    }

    /**
     * Writes {@code file} through a temporary sibling renamed over it, so a reader never sees half a file and a
     * failed write leaves the old one in place.
     */
    public static void writeAtomically(Path file, FileWriter writer) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes a directory and everything below it; does nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
