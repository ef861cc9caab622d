package org.ncf4j.server.repository;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Reads what the repository holds on disk: its model directories, their numbered version directories, and a
 * fingerprint of each version's files (names, sizes, modification times), so that a version that failed can be
 * retried once its files change (a copy that completes, a repair in place). Hidden entries (a partial export's
 * {@code .3.partial-...}) and names that are not positive numbers are not versions. Listing errors are kept, not
 * taken for empty directories: a directory that cannot be read unloads nothing.
 */
public final class RepositoryScanner {
    /** A version directory and the fingerprint of its files. */
    public record VersionDir(long version, Path dir, String fingerprint) {
    }

    /** A model directory: its versions, or why it could not be listed. */
    public record ModelDir(String name, NavigableMap<Long, VersionDir> versions, String error) {
    }

    /** The repository: its models, or why its root could not be listed. */
    public record DiskState(Map<String, ModelDir> models, String error) {
    }

    private final Path root;

    public RepositoryScanner(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public DiskState scan() {
        if (!Files.isDirectory(root)) {
            return new DiskState(Map.of(), "the repository " + root.toAbsolutePath() + " is not a directory");
        }
        Map<String, ModelDir> models = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path dir : entries) {
                String name = dir.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(dir)) {
                    models.put(name, model(name, dir));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new DiskState(Map.of(), "cannot list the repository " + root.toAbsolutePath() + ": " + e);
        }
        return new DiskState(models, null);
    }

    private static ModelDir model(String name, Path dir) {
        NavigableMap<Long, VersionDir> versions = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path v : entries) {
                long version = version(v.getFileName().toString());
                if (version > 0 && Files.isDirectory(v)) {
                    versions.put(version, new VersionDir(version, v, fingerprint(v)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new ModelDir(name, new TreeMap<>(), "cannot list " + dir + ": " + e);
        }
        return new ModelDir(name, versions, null);
    }

    /** A positive decimal version number, or -1. */
    static long version(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return -1;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        long v = Long.parseLong(name);
        return v > 0 ? v : -1;
    }

    /** Names, sizes and modification times of a directory's entries: changes whenever a file does. */
    static String fingerprint(Path dir) {
        StringBuilder sb = new StringBuilder();
        Map<String, String> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path f : entries) {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    files.put(f.getFileName().toString(), a.size() + "@" + a.lastModifiedTime());
                } catch (IOException e) {
                    files.put(f.getFileName().toString(), "unreadable");
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
        files.forEach((k, v) -> sb.append(k).append('=').append(v).append(';'));
        return sb.toString();
    }
}
