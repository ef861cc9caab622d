package org.ncf4j.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.server.TestBundles;
import org.ncf4j.server.config.RankingKernel;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;

/** What a served model's callers meet when a run fails: the server's own error, the runtime's kept as its cause. */
class ServedModelTest {
    @Test
    void aRunThatFailsInOnnxRuntimeIsInternalWithTheRuntimesExceptionAsItsCause(@TempDir Path dir)
            throws Exception {
        ServedModel m = ModelLoaders.cpu(RankingKernel.ONNX).load("m", 1, TestBundles.write(dir.resolve("b"), 1));
        try {
            assertEquals(RankingKernel.ONNX, m.scoringKernel());
            long[] user = {0};
            long[] outside = {TestBundles.ITEMS}; // callers check indices; the graph refuses this one
            ServingException now = assertThrows(ServingException.class, () -> m.scoreNow(user, outside));
            assertEquals(ServingError.INTERNAL, now.error());
            assertInstanceOf(OrtException.class, now.getCause());

            ExecutionException batched = assertThrows(ExecutionException.class,
                    () -> m.score(user, outside, Long.MAX_VALUE).get(10, TimeUnit.SECONDS));
            ServingException e = assertInstanceOf(ServingException.class, batched.getCause());
            assertEquals(ServingError.INTERNAL, e.error());
            assertInstanceOf(OrtException.class, e.getCause());
        } finally {
            m.close();
        }
    }
}
