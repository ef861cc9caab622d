package org.ncf4j.server.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryScannerTest {
    @Test
    void listsNumberedVersionsOnlyAndFingerprintsTheirFiles(@TempDir Path root) throws Exception {
        Path model = Files.createDirectories(root.resolve("neumf"));
        Files.createDirectories(model.resolve("1"));
        Files.createDirectories(model.resolve("12"));
        Files.createDirectories(model.resolve(".3.partial-abc"));
        Files.createDirectories(model.resolve("latest"));
        Files.createDirectories(model.resolve("0"));
        Files.writeString(model.resolve("5"), "a file, not a version");
        Files.createDirectories(root.resolve(".hidden-model"));
        RepositoryScanner.DiskState s = new RepositoryScanner(root).scan();
        assertNull(s.error());
        assertEquals(List.of("neumf"), List.copyOf(s.models().keySet()));
        assertEquals(List.of(1L, 12L), List.copyOf(s.models().get("neumf").versions().keySet()));

        String empty = s.models().get("neumf").versions().get(1L).fingerprint();
        Files.writeString(model.resolve("1/card.json"), "{}");
        String one = new RepositoryScanner(root).scan().models().get("neumf").versions().get(1L).fingerprint();
        assertNotEquals(empty, one, "a new file changes the fingerprint");
        Files.writeString(model.resolve("1/card.json"), "{\"x\": 1}");
        String grown = new RepositoryScanner(root).scan().models().get("neumf").versions().get(1L).fingerprint();
        assertNotEquals(one, grown, "a file that changes changes the fingerprint");
        assertEquals(grown, new RepositoryScanner(root).scan().models().get("neumf").versions().get(1L)
                .fingerprint(), "nothing changed, same fingerprint");
    }

    @Test
    void aMissingRootIsAnErrorNotAnEmptyRepository(@TempDir Path dir) {
        RepositoryScanner.DiskState s = new RepositoryScanner(dir.resolve("nope")).scan();
        assertNotNull(s.error());
        assertEquals(0, s.models().size());
    }

    @Test
    void versionNamesAreDecimalNumbersAboveZero() {
        assertEquals(7, RepositoryScanner.version("7"));
        assertEquals(-1, RepositoryScanner.version("0"));
        assertEquals(-1, RepositoryScanner.version("-3"));
        assertEquals(-1, RepositoryScanner.version("1e3"));
        assertEquals(-1, RepositoryScanner.version("99999999999999999999"));
    }
}
