package org.ncf4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.BundleException;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.BundleWriter;
import org.ncf4j.bundle.WeightsFile;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.contract.Variant;
import org.ncf4j.onnx.OnnxProto.GraphProto;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.NodeProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/**
 * Tables declared in pieces: over the same data file as whole tables, named and placed as the format says, read
 * back whole, and every way pieces can point outside their table refused naming it. (That they score and rank as
 * whole tables is the server's test, which has ONNX Runtime.)
 */
class TablePiecesTest {
    /** 40 users in 6 pieces of 7 rows, 24 items in 4. */
    private static final ModelShape SHAPE = new ModelShape(Variant.NEUMF, 40, 24, 4, new int[] {8, 4});
    private static final TablePieces SEVEN = TablePieces.ofRows(7);

    @Test
    void aPieceIsTheLargestMultipleOf1024RowsWithin1GiB() {
        TablePieces d = TablePieces.DEFAULT;
        assertEquals(1L << 20, d.rowsPerPiece(1024), "factor 256: 2^20 rows, exactly 1 GiB");
        assertEquals(11_184_128, d.rowsPerPiece(96));
        assertEquals(1L << 25, d.rowsPerPiece(32));
        assertEquals(1024, d.rowsPerPiece(1L << 20));
        assertEquals(Long.MAX_VALUE, d.rowsPerPiece((1L << 20) + 4), "1,024 rows over 1 GiB: never split");
        for (long rowBytes = 4; rowBytes <= 4096; rowBytes += 4) {
            long bytes = d.rowsPerPiece(rowBytes) * rowBytes;
            assertTrue(bytes <= TablePieces.MAX_PIECE_BYTES && bytes > TablePieces.MAX_PIECE_BYTES - 1024 * rowBytes,
                    rowBytes + " bytes a row");
            assertEquals(0, bytes % WeightsFile.ALIGNMENT, rowBytes + " bytes a row");
        }
        assertEquals(7, SEVEN.rowsPerPiece(1L << 40));
        assertThrows(IllegalArgumentException.class, () -> TablePieces.ofRows(0));
    }

    @Test
    void tablesThatFitOnePieceKeepTheirOneGatherAndName() {
        ModelWeights w = RandomWeights.of(SHAPE, 2);
        for (boolean score : new boolean[] {true, false}) {
            byte[] byDefault = graph(w, score, new WeightsFile(), TablePieces.DEFAULT).toByteArray();
            byte[] justFits = graph(w, score, new WeightsFile(), TablePieces.ofRows(SHAPE.numUsers()))
                    .toByteArray();
            assertArrayEquals(byDefault, justFits, score ? "score" : "rank");
            GraphProto g = graph(w, score, new WeightsFile(), TablePieces.DEFAULT).getGraph();
            assertTrue(g.getInitializerList().stream().noneMatch(t -> TensorNames.pieceTable(t.getName()) != null));
            assertTrue(g.getNodeList().stream().noneMatch(n -> n.getOpType().equals("Where")));
        }
        // without a data file every weight is inline, and nothing is split
        GraphProto inline = ScoringGraph.build(w, "test", Map.of(), null, SEVEN).getGraph();
        assertEquals(4, inline.getNodeList().stream().filter(n -> n.getOpType().equals("Gather")).count());
    }

    @Test
    void piecesAreRangesOfTheOneStoredTableInRowOrder(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        Path pieced = dir.resolve("pieced");
        SyntheticBundles.write(whole, SHAPE, 3, 4);
        SyntheticBundles.write(pieced, SHAPE, 3, 4, SEVEN);
        assertEquals(-1L, Files.mismatch(whole.resolve(BundleFiles.WEIGHTS), pieced.resolve(BundleFiles.WEIGHTS)),
                "the same data file: each table written once, whole");
        Bundle w = Bundle.read(whole);
        Bundle p = Bundle.read(pieced);
        assertEquals(w.card().files().keySet(), p.card().files().keySet());
        assertEquals(w.tables().keySet(), p.tables().keySet(), "tables by their own names");
        w.tables().forEach((name, t) -> assertArrayEquals(t.toArray(), p.tables().get(name).toArray(), name));

        Map<String, TensorProto> score = initializers(pieced.resolve(BundleFiles.SCORE_GRAPH));
        Map<String, TensorProto> wholeScore = initializers(whole.resolve(BundleFiles.SCORE_GRAPH));
        for (String table : List.of(TensorNames.GMF_USER_EMBEDDING, TensorNames.MLP_USER_EMBEDDING,
                TensorNames.GMF_ITEM_EMBEDDING, TensorNames.MLP_ITEM_EMBEDDING)) {
            TensorProto t = wholeScore.get(table);
            long rows = t.getDims(0);
            long rowBytes = GraphEdits.external(t, WeightsFile.LENGTH) / rows;
            assertFalse(score.containsKey(table), table + " is declared in pieces only");
            long pieces = (rows + 6) / 7;
            assertTrue(pieces >= 4, table);
            for (int i = 0; i < pieces; i++) {
                TensorProto piece = score.get(table + ".piece" + i);
                long n = Math.min(7, rows - 7L * i);
                assertEquals(List.of(n, t.getDims(1)), piece.getDimsList(), piece.getName());
                assertEquals(GraphEdits.external(t, WeightsFile.OFFSET) + 7 * i * rowBytes,
                        GraphEdits.external(piece, WeightsFile.OFFSET), piece.getName());
                assertEquals(n * rowBytes, GraphEdits.external(piece, WeightsFile.LENGTH), piece.getName());
            }
            assertFalse(score.containsKey(table + ".piece" + pieces));
        }
        // the ranking graph's item sides are not gathered from, so they stay whole
        Map<String, TensorProto> rank = initializers(pieced.resolve(BundleFiles.RANK_GRAPH));
        assertTrue(rank.containsKey(TensorNames.GMF_ITEM_SIDE) && rank.containsKey(TensorNames.MLP_0_ITEM_SIDE));
        assertTrue(rank.containsKey(TensorNames.piece(TensorNames.GMF_USER_EMBEDDING, 5)));
        GraphProto g = ModelProto.parseFrom(Files.readAllBytes(pieced.resolve(BundleFiles.SCORE_GRAPH))).getGraph();
        List<String> ops = g.getNodeList().stream().map(NodeProto::getOpType).distinct().toList();
        assertTrue(ops.containsAll(List.of("Sub", "Min", "Max", "GreaterOrEqual", "Unsqueeze", "Where")),
                ops.toString());
        for (NodeProto n : g.getNodeList()) {
            // nothing a runtime would fold into a copy of the whole table
            assertTrue(n.getOpType().equals("Gather") || n.getInputList().stream()
                    .noneMatch(i -> TensorNames.pieceTable(i) != null), n.getOpType() + " " + n.getInputList());
        }
    }

    @Test
    void aPieceOutsideTheDataFileIsRefused(@TempDir Path dir) throws Exception {
        Path b = pieced(dir.resolve("b"));
        long size = Files.size(b.resolve(BundleFiles.WEIGHTS));
        String last = TensorNames.piece(TensorNames.GMF_USER_EMBEDDING, 5);
        GraphEdits.editExternal(b, BundleFiles.RANK_GRAPH, last, WeightsFile.OFFSET, Long.toString(size - 4));
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(e.getMessage().contains("rank.onnx: weight 'gmf_user_embedding.piece5' lies at bytes "
                + (size - 4)), e.getMessage());
        assertTrue(e.getMessage().contains("outside its " + size + " bytes"), e.getMessage());
    }

    @Test
    void piecesThatDoNotFollowEachOtherAreRefused(@TempDir Path dir) throws Exception {
        Path b = pieced(dir.resolve("b"));
        String second = TensorNames.piece(TensorNames.MLP_USER_EMBEDDING, 2);
        long at = GraphEdits.external(initializers(b.resolve(BundleFiles.RANK_GRAPH)).get(second),
                WeightsFile.OFFSET);
        GraphEdits.editExternal(b, BundleFiles.RANK_GRAPH, second, WeightsFile.OFFSET, Long.toString(at + 4));
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(e.getMessage().contains("rank.onnx: weight 'mlp_user_embedding': piece 2 starts at byte "
                + (at + 4) + " of weights.bin, where the pieces before it end at byte " + at), e.getMessage());
    }

    @Test
    void aTableWhosePiecesOverlapAnotherTableIsRefused(@TempDir Path dir) throws Exception {
        Path b = pieced(dir.resolve("b"));
        // every piece of the item table moved by the same amount, onto the next table: still one range, in order
        Map<String, TensorProto> score = initializers(b.resolve(BundleFiles.SCORE_GRAPH));
        long shift = GraphEdits.external(score.get(TensorNames.piece(TensorNames.MLP_USER_EMBEDDING, 0)),
                WeightsFile.OFFSET) - GraphEdits.external(score.get(TensorNames.piece(TensorNames.GMF_ITEM_EMBEDDING,
                0)), WeightsFile.OFFSET) + 8;
        for (int p = 0; p < 4; p++) {
            String piece = TensorNames.piece(TensorNames.GMF_ITEM_EMBEDDING, p);
            GraphEdits.editExternal(b, BundleFiles.SCORE_GRAPH, piece, WeightsFile.OFFSET,
                    Long.toString(GraphEdits.external(score.get(piece), WeightsFile.OFFSET) + shift));
        }
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(e.getMessage().contains("weight 'gmf_item_embedding'") && e.getMessage().contains("overlaps "
                + "weight 'mlp_user_embedding'") && e.getMessage().contains("in weights.bin"), e.getMessage());
    }

    @Test
    void aMissingPieceATableDeclaredTwiceAndGraphsSplittingDifferentlyAreRefused(@TempDir Path dir)
            throws Exception {
        Path b = pieced(dir.resolve("missing"));
        String piece = TensorNames.piece(TensorNames.GMF_ITEM_EMBEDDING, 1);
        GraphEdits.edit(b, BundleFiles.SCORE_GRAPH, m -> removeInitializer(m, piece));
        BundleException missing = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(missing.getMessage().contains("score.onnx: weight 'gmf_item_embedding' has pieces [0, 2, 3]; a "
                + "table's pieces are numbered from 0 without a gap"), missing.getMessage());

        Path c = pieced(dir.resolve("twice"));
        TensorProto whole = initializers(dir.resolve("twice-whole").resolve(BundleFiles.SCORE_GRAPH))
                .get(TensorNames.GMF_ITEM_EMBEDDING);
        GraphEdits.edit(c, BundleFiles.SCORE_GRAPH, m -> m.getGraphBuilder().addInitializer(whole));
        BundleException twice = assertThrows(BundleException.class, () -> Bundle.read(c));
        assertTrue(twice.getMessage().contains("score.onnx: weight 'gmf_item_embedding' is declared both whole and "
                + "in pieces"), twice.getMessage());

        // the scoring graph in pieces of 7 rows, the ranking graph in pieces of 9: the same bytes, split otherwise
        Bundle read = Bundle.read(dir.resolve("twice-whole"));
        ModelWeights w = RandomWeights.of(SHAPE, 3);
        WeightsFile tables = new WeightsFile();
        byte[] score = ScoringGraph.build(w, "test", Map.of(), tables, SEVEN).toByteArray();
        byte[] rank = RankingGraph.build(w, "test", Map.of(), tables, TablePieces.ofRows(9)).toByteArray();
        Path d = dir.resolve("differently");
        BundleCard card = new BundleCard(BundleCard.FORMAT_VERSION, "neumf", 4, List.of(8, 4), 40, 24,
                read.card().dataset(), Map.of(), Map.of(), "", "test", read.card().graphs(), Map.of());
        BundleWriter.write(d, card, score, rank, tables, read.users(), read.items(), read.seen(),
                BundleBuilder.popularity(read.seen()));
        BundleException differently = assertThrows(BundleException.class, () -> Bundle.read(d));
        assertTrue(differently.getMessage().contains("the graphs declare weight 'gmf_user_embedding' in different "
                + "pieces (pieces of 112 bytes and pieces of 144 bytes)"), differently.getMessage());
    }

    /** A bundle in pieces of 7 rows, with the same model whole beside it ({@code <dir>-whole}). */
    private static Path pieced(Path dir) throws Exception {
        SyntheticBundles.write(dir.resolveSibling(dir.getFileName() + "-whole"), SHAPE, 3, 4);
        SyntheticBundles.write(dir, SHAPE, 3, 4, SEVEN);
        return dir;
    }

    private static ModelProto graph(ModelWeights w, boolean score, WeightsFile tables, TablePieces pieces) {
        return score ? ScoringGraph.build(w, "test", Map.of(), tables, pieces)
                : RankingGraph.build(w, "test", Map.of(), tables, pieces);
    }

    private static Map<String, TensorProto> initializers(Path graph) throws Exception {
        Map<String, TensorProto> out = new java.util.LinkedHashMap<>();
        for (TensorProto t : ModelProto.parseFrom(Files.readAllBytes(graph)).getGraph().getInitializerList()) {
            out.put(t.getName(), t);
        }
        return out;
    }

    private static void removeInitializer(ModelProto.Builder m, String name) {
        List<TensorProto> kept = new ArrayList<>(m.getGraph().getInitializerList());
        kept.removeIf(t -> t.getName().equals(name));
        m.getGraphBuilder().clearInitializer().addAllInitializer(kept);
    }
}
