package org.ncf4j.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default files of the generator must stay exactly what they are: published figures and the benchmarks'
 * cached files were made from them. The digests are of files written by the generator before it had options
 * beyond SKEW and SEED; a change that moves, adds or drops a single random draw of the default path breaks them.
 */
class SyntheticInteractionsDefaultTest {
    @TempDir
    Path dir;

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void theDefaultCommandLineWritesTheSameBytesAsBefore() throws Exception {
        Path out = dir.resolve("a.csv");
        SyntheticInteractions.main(new String[] {"50", "200", "2000", out.toString()});
        assertEquals("33db85379b7e0f5eb233896158bba8eb67034384f910b70d707e080b8f97a7ff", sha256(out));
    }

    /** 20 interactions for each of 30 users over 40 items at a steep skew: users at the cap, draws that repeat. */
    @Test
    void aSmallCatalogueWithAGivenSkewAndSeedWritesTheSameBytesAsBefore() throws Exception {
        Path out = dir.resolve("b.csv");
        SyntheticInteractions.main(new String[] {"30", "40", "600", out.toString(), "1.2", "7"});
        assertEquals("40c1024a9213f47ba6b18e9a6d2d14cedc5db9c29032180b69b39396f5096b13", sha256(out));
    }

    /** Users can hold half the catalogue each: more interactions than that are refused, not searched for forever. */
    @Test
    void moreInteractionsThanTheUsersCanHoldAreRefused() {
        assertNull(SyntheticInteractions.problem(10, 40, 200, 0), "every user at the cap");
        assertNotNull(SyntheticInteractions.problem(10, 40, 201, 0));
        assertNotNull(SyntheticInteractions.problem(10, 3, 21, 0), "two each at least, however small the catalogue");
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticInteractions.write(10, 40, 400, 0.8, 1, 0, dir.resolve("x.csv")));
    }
}
