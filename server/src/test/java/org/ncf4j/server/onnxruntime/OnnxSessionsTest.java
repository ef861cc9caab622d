package org.ncf4j.server.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.graph.TablePieces;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
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
     * Tables declared in pieces (here of 7 rows: the user tables in 6 pieces, the item tables in 4) score and rank
     * as the same model's whole tables, for ids at both ends of every piece, and every initializer, each piece
     * included, is handed to ONNX Runtime over the bundle's mapping: the sessions open with the data file gone.
     */
    @Test
    void tablesInPiecesScoreAndRankAsWholeTablesAndAreAllHandedOver(@TempDir Path dir) throws Exception {
        for (ModelShape shape : List.of(TestBundles.SHAPE, new ModelShape(Variant.GMF, TestBundles.USERS,
                TestBundles.ITEMS, 4, new int[0]), new ModelShape(Variant.MLP, TestBundles.USERS, TestBundles.ITEMS,
                0, new int[] {8}))) {
            Path w = TestBundles.write(dir.resolve(shape.variant().label() + "-whole"), shape, 5);
            Path p = TestBundles.write(dir.resolve(shape.variant().label() + "-pieced"), shape, 5,
                    TablePieces.ofRows(7));
            Bundle whole = Bundle.read(w);
            Bundle pieced = Bundle.read(p);
            assertEquals(Files.mismatch(w.resolve(BundleFiles.WEIGHTS), p.resolve(BundleFiles.WEIGHTS)), -1L,
                    "the same data file");
            List<OnnxTensor> shared = new ArrayList<>();
            int external = 0;
            for (byte[] graph : List.of(pieced.scoreModel(), pieced.rankModel())) {
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    assertEquals(List.of(), ExternalTables.add(OrtEnvironment.getEnvironment(), options, graph,
                            pieced.weights(), shared));
                }
                external += externalInitializers(graph);
            }
            shared.forEach(OnnxTensor::close);
            assertEquals(external, shared.size(), "every external initializer handed over");
            assertTrue(external >= 2 * 6 + 4, shape + ": " + external + " external initializers");

            Files.delete(p.resolve(BundleFiles.WEIGHTS)); // mapped: the sessions must not need the file
            long[] users = new long[12];
            long[] items = new long[12];
            for (int j = 0; j < 12; j++) {
                // both ends of each piece: 0, 6, 7, 13, ... and the last row
                users[j] = Math.min(TestBundles.USERS - 1, j / 2 * 7 + (j % 2) * 6);
                items[j] = Math.min(TestBundles.ITEMS - 1, (11 - j) / 2 * 7 + (j % 2) * 6);
            }
            try (OnnxSessions a = OnnxSessions.open(whole, CPU, 1);
                 OnnxSessions b = OnnxSessions.open(pieced, CPU, 1)) {
                assertArrayEquals(a.score(users, items).logits(), b.score(users, items).logits(), shape.toString());
                Rankings want = a.rank(users, new long[] {0, 3, 5, 2}, TestBundles.ITEMS);
                Rankings got = b.rank(users, new long[] {0, 3, 5, 2}, TestBundles.ITEMS);
                for (int u = 0; u < users.length; u++) {
                    assertArrayEquals(want.items()[u], got.items()[u], shape + ", user " + users[u]);
                    assertArrayEquals(want.scores()[u], got.scores()[u], shape + ", user " + users[u]);
                }
            }
        }
    }

    private static int externalInitializers(byte[] graph) throws Exception {
        return (int) ModelProto.parseFrom(graph).getGraph().getInitializerList().stream()
                .filter(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL).count();
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
