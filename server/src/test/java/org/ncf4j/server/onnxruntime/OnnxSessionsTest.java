package org.ncf4j.server.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.server.TestBundles;
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
}
