package org.ncf4j.server.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.server.TestBundles;
import org.ncf4j.server.compute.Rankings;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;

class OnnxSessionsTest {
    private static final ExecutionProvider.Choice CPU = ExecutionProvider.choose("cpu", 0, (o, d) -> { });

    @Test
    void aRunThatFailsInOnnxRuntimeIsInternalWithTheRuntimesExceptionAsItsCause(@TempDir Path dir)
            throws Exception {
        Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b"), 1));
        try (OnnxSessions sessions = OnnxSessions.open(bundle, CPU, 1)) {
            ServingException scoring = assertThrows(ServingException.class,
                    () -> sessions.score(new long[] {0}, new long[] {TestBundles.ITEMS}));
            assertEquals(ServingError.INTERNAL, scoring.error());
            assertEquals("ONNX Runtime failed to run the scoring graph", scoring.getMessage());
            assertInstanceOf(OrtException.class, scoring.getCause());

            ServingException ranking = assertThrows(ServingException.class,
                    () -> sessions.rank(new long[] {TestBundles.USERS}, new long[0], 3));
            assertEquals(ServingError.INTERNAL, ranking.error());
            assertEquals("ONNX Runtime failed to run the ranking graph", ranking.getMessage());
            assertInstanceOf(OrtException.class, ranking.getCause());

            assertEquals(3, sessions.rank(new long[] {0}, new long[0], 3).items()[0].length, "still serves");
        }
    }

    /**
     * A table over 2 GB, which no Java buffer holds, is read by ONNX Runtime from the data file beside the graph:
     * the same path on a small bundle whose tables are mapped in pieces of 4 KiB, scoring and ranking as the
     * bundle whose tables are handed over in place; and sessions for a large model (no arena, constants not
     * packed) answer the same too.
     */
    @Test
    void tablesMappedInPiecesAreReadByOnnxRuntimeFromTheDataFile(@TempDir Path dir) throws Exception {
        Path b = TestBundles.write(dir.resolve("b"), new ModelShape(Variant.NEUMF, 300, 500, 8, new int[] {32, 16,
                8}), 3);
        Bundle whole = Bundle.read(b);
        Bundle pieced = Bundle.read(b, Bundle.MAX_FILE_BYTES, 4096);
        assertTrue(pieced.tables().values().stream().anyMatch(t -> t.bytes().isEmpty()), "a table in pieces");
        long[] users = {0, 1, 150, 298, 299};
        long[] items = {0, 499, 250, 1, 498};
        try (OnnxSessions inPlace = OnnxSessions.open(whole, CPU, 1);
             OnnxSessions fromFile = OnnxSessions.open(pieced, CPU, 1);
             OnnxSessions large = OnnxSessions.open(pieced, CPU, 1, true)) {
            Rankings want = inPlace.rank(users, new long[0], 20);
            for (OnnxSessions other : List.of(fromFile, large)) {
                assertArrayEquals(inPlace.score(users, items).scores(), other.score(users, items).scores());
                Rankings got = other.rank(users, new long[0], 20);
                for (int u = 0; u < users.length; u++) {
                    assertArrayEquals(want.items()[u], got.items()[u], "user " + users[u]);
                    assertArrayEquals(want.scores()[u], got.scores()[u], 1e-6f, "user " + users[u]);
                }
            }
        }
    }
}
