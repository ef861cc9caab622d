package org.ncf4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleException;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.Sha256;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;

/** How a bundle is read: each file once, size-capped, links kept inside the bundle, absent card entries empty. */
class BundleReadTest {
    private static final ModelShape SHAPE = new ModelShape(Variant.NEUMF, 12, 9, 2, new int[] {4, 2});

    private static Path bundle(Path dir) throws Exception {
        SyntheticBundles.write(dir, SHAPE, 1, 3);
        return dir;
    }

    @Test
    void aLinkThatLeadsOutOfTheBundleIsRefused(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        Path outside = dir.resolve("outside.txt");
        Files.move(b.resolve(BundleFiles.USERS), outside);
        Files.createSymbolicLink(b.resolve(BundleFiles.USERS), outside);
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(e.getMessage().contains("users.txt is a link to") && e.getMessage().contains("outside the bundle"),
                e.getMessage());
    }

    @Test
    void aLinkWithinTheBundleAndALinkedBundleDirectoryAreRead(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        Files.move(b.resolve(BundleFiles.USERS), b.resolve("users-v1.txt"));
        Files.createSymbolicLink(b.resolve(BundleFiles.USERS), b.resolve("users-v1.txt"));
        Files.createSymbolicLink(dir.resolve("linked"), b);
        assertEquals(12, Bundle.read(dir.resolve("linked")).users().size());
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        long size = Files.size(b.resolve(BundleFiles.RANK_GRAPH));
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(b, size - 1));
        assertTrue(e.getMessage().contains("more than the largest bundle file allowed"), e.getMessage());
        Bundle.read(b, size + 10_000);
    }

    @Test
    void theGraphsUsedAreTheBytesThatWereHashed(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        Bundle read = Bundle.read(b);
        String listed = read.card().files().get(BundleFiles.SCORE_GRAPH);
        // the file changes on disk after the check: what was checked is still what is used
        Files.write(b.resolve(BundleFiles.SCORE_GRAPH), new byte[] {1, 2, 3});
        assertEquals(listed, Sha256.of(read.scoreModel()));
        assertTrue(read.withoutModels().scoreModel() == null);
        assertArrayEquals(read.popularity(), read.withoutModels().popularity());
    }

    @Test
    void aCardWithoutOptionalEntriesReadsThemAsEmpty(@TempDir Path dir) throws Exception {
        Path b = dir.resolve("gmf");
        SyntheticBundles.write(b, new ModelShape(Variant.GMF, 5, 4, 2, new int[0]), 1, 2);
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = (ObjectNode) json.readTree(b.resolve(BundleFiles.CARD).toFile());
        card.remove(java.util.List.of("layers", "metrics", "createdAt", "dataset", "training", "producer"));
        Files.writeString(b.resolve(BundleFiles.CARD), json.writeValueAsString(card));
        Bundle read = Bundle.read(b);
        assertEquals(java.util.List.of(), read.card().layers());
        assertEquals(java.util.Map.of(), read.card().metrics());
        assertEquals("", read.card().createdAt());
        assertEquals(java.util.Map.of(), read.card().dataset());
    }

    @Test
    void aWrittenBundleIsReadableByOtherUsers(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("models/m/1"));
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(b);
        assertTrue(perms.contains(PosixFilePermission.OTHERS_READ) && perms.contains(PosixFilePermission.OTHERS_EXECUTE),
                "bundle directory is " + perms);
        assertTrue(Files.getPosixFilePermissions(b.resolve(BundleFiles.CARD)).contains(PosixFilePermission.OTHERS_READ));
    }

    @Test
    void aFileCopiedOverWhileTheBundleIsInUseNeverMixesVersions(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        Path other = dir.resolve("other");
        SyntheticBundles.write(other, SHAPE, 2, 3);
        Files.copy(other.resolve(BundleFiles.SCORE_GRAPH), b.resolve(BundleFiles.SCORE_GRAPH),
                StandardCopyOption.REPLACE_EXISTING);
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(e.getMessage().contains("score.onnx does not match its SHA-256"), e.getMessage());
    }
}
