package org.ncf4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.BundleException;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.BundleWriter;
import org.ncf4j.bundle.FloatTable;
import org.ncf4j.bundle.WeightsFile;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.contract.Variant;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.StringStringEntryProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/**
 * The tables as ONNX external data: stored once in weights.bin for both graphs, aligned, read back through the
 * mappings with the values written, and every way the data file can be wrong refused with a message naming it.
 */
class ExternalDataTest {
    private static final ModelShape SHAPE = new ModelShape(Variant.NEUMF, 12, 9, 2, new int[] {4, 2});

    private static Path bundle(Path dir) throws Exception {
        SyntheticBundles.write(dir, SHAPE, 1, 3);
        return dir;
    }

    @Test
    void theTablesAreStoredOnceAlignedAndReadBackAsWritten(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        Bundle bundle = Bundle.read(b);
        assertEquals(BundleCard.FORMAT_VERSION, bundle.card().formatVersion());
        assertTrue(bundle.card().files().containsKey(BundleFiles.WEIGHTS), bundle.card().files().toString());
        ModelWeights w = RandomWeights.of(SHAPE, 1);
        for (String name : new String[] {TensorNames.GMF_USER_EMBEDDING, TensorNames.MLP_ITEM_EMBEDDING}) {
            float[] expected = w.get(name);
            FloatTable t = bundle.tables().get(name);
            assertEquals(expected.length, t.size(), name);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], t.get(i), name + " " + i);
            }
        }
        // the user tables are in both graphs, at the same place; every table starts on a page
        Map<String, Long> score = offsets(b.resolve(BundleFiles.SCORE_GRAPH));
        Map<String, Long> rank = offsets(b.resolve(BundleFiles.RANK_GRAPH));
        assertEquals(score.get(TensorNames.GMF_USER_EMBEDDING), rank.get(TensorNames.GMF_USER_EMBEDDING));
        assertEquals(score.get(TensorNames.MLP_USER_EMBEDDING), rank.get(TensorNames.MLP_USER_EMBEDDING));
        score.values().forEach(o -> assertEquals(0, o % WeightsFile.ALIGNMENT, score.toString()));
        rank.values().forEach(o -> assertEquals(0, o % WeightsFile.ALIGNMENT, rank.toString()));
        assertTrue(rank.containsKey(TensorNames.MLP_0_ITEM_SIDE) && !rank.containsKey(TensorNames.mlpWeight(1)),
                "tables external, layer weights inline: " + rank.keySet());
    }

    /**
     * Tables over 2 GB are mapped in pieces and read as one table, without a single buffer to hand to a runtime:
     * the same path with pieces of 32 bytes, where every table of 64 bytes or more is pieced.
     */
    @Test
    void tablesMappedInPiecesReadAsTheWholeAndHaveNoSingleBuffer(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        Bundle whole = Bundle.read(b);
        Bundle pieced = Bundle.read(b, Bundle.MAX_FILE_BYTES, 32);
        int piecedTables = 0;
        for (Map.Entry<String, FloatTable> e : whole.tables().entrySet()) {
            FloatTable w = e.getValue();
            FloatTable p = pieced.tables().get(e.getKey());
            assertEquals(w.size(), p.size(), e.getKey());
            assertTrue(w.bytes().isPresent(), e.getKey());
            assertEquals(4 * w.size() < 64, p.bytes().isPresent(), e.getKey() + " of " + w.size() + " floats");
            piecedTables += p.bytes().isPresent() ? 0 : 1;
            float[] all = new float[(int) w.size()];
            p.get(0, all, 0, all.length); // across every piece
            for (int i = 0; i < all.length; i++) {
                assertEquals(w.get(i), p.get(i), e.getKey() + " " + i);
                assertEquals(w.get(i), all[i], e.getKey() + " " + i);
            }
            if (all.length > 12) {
                float[] across = new float[7];
                p.get(5, across, 0, 7); // a piece holds 8 floats: 5..11 spans two
                for (int i = 0; i < 7; i++) {
                    assertEquals(w.get(5 + i), across[i], e.getKey());
                }
            }
        }
        assertTrue(piecedTables >= 4, "pieced tables: " + piecedTables);
    }

    @Test
    void piecesOfAnotherSizeThanTheFirstAreRefused() {
        ByteBuffer b64 = ByteBuffer.allocate(64);
        ByteBuffer b32 = ByteBuffer.allocate(32);
        IllegalArgumentException notFloats = assertThrows(IllegalArgumentException.class,
                () -> FloatTable.of(List.of(ByteBuffer.allocate(6), ByteBuffer.allocate(4))));
        assertEquals("pieces of 6 bytes: not a whole number of floats", notFloats.getMessage());
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> FloatTable.of(List.of(b64, b32, b64)));
        assertEquals("piece 1 holds 32 bytes, expected 64", shorter.getMessage());
        IllegalArgumentException longerLast = assertThrows(IllegalArgumentException.class,
                () -> FloatTable.of(List.of(b32, b64)));
        assertEquals("piece 1 holds 64 bytes, expected at most 32", longerLast.getMessage());
        assertEquals(24, FloatTable.of(List.of(b64, b32)).size());
    }

    /** The pieces a graph declares a table in hold whole rows, of any number of floats: 12, 12 and 5 here. */
    @Test
    void piecesOfAnySizeOfFloatsReadAsOneTable() {
        List<ByteBuffer> pieces = new java.util.ArrayList<>();
        for (int[] range : new int[][] {{0, 12}, {12, 24}, {24, 29}}) {
            ByteBuffer b = ByteBuffer.allocate(4 * (range[1] - range[0])).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int v = range[0]; v < range[1]; v++) {
                b.putFloat(v);
            }
            pieces.add(b.flip());
        }
        FloatTable t = FloatTable.of(pieces);
        assertEquals(29, t.size());
        for (int i = 0; i < 29; i++) {
            assertEquals(i, t.get(i));
        }
        float[] across = new float[17];
        t.get(10, across, 0, 17); // 10..26: the end of the first piece, the second, the start of the third
        for (int i = 0; i < 17; i++) {
            assertEquals(10 + i, across[i]);
        }
        assertTrue(t.bytes().isEmpty(), "no single buffer");
    }

    @Test
    void aTruncatedOrChangedDataFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        Path data = b.resolve(BundleFiles.WEIGHTS);
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(f.length() - 1);
            int last = f.read();
            f.seek(f.length() - 1);
            f.write(last ^ 1);
        }
        BundleException changed = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(changed.getMessage().contains("weights.bin does not match its SHA-256 in card.json"),
                changed.getMessage());

        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(f.length() - 4);
        }
        BundleException truncated = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(truncated.getMessage().contains("of weights.bin, outside its"), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("rank.onnx: weight 'mlp_0_item_side'"), truncated.getMessage());
    }

    @Test
    void aRangeOutsideTheDataFileOrOfTheWrongLengthIsRefused(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        long size = Files.size(b.resolve(BundleFiles.WEIGHTS));
        editExternal(b, TensorNames.GMF_ITEM_SIDE, WeightsFile.OFFSET, Long.toString(size));
        BundleException outside = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertTrue(outside.getMessage().contains("rank.onnx: weight 'gmf_item_side' lies at bytes " + size),
                outside.getMessage());
        assertTrue(outside.getMessage().contains("outside its " + size + " bytes"), outside.getMessage());

        Path c = bundle(dir.resolve("c"));
        editExternal(c, TensorNames.GMF_ITEM_SIDE, WeightsFile.LENGTH, "4");
        BundleException length = assertThrows(BundleException.class, () -> Bundle.read(c));
        assertTrue(length.getMessage().contains("rank.onnx: weight 'gmf_item_side' is 4 bytes long in weights.bin"),
                length.getMessage());

        Path d = bundle(dir.resolve("d"));
        editExternal(d, TensorNames.GMF_ITEM_SIDE, WeightsFile.LOCATION, "../other.bin");
        BundleException location = assertThrows(BundleException.class, () -> Bundle.read(d));
        assertTrue(location.getMessage().contains("is stored in '../other.bin', expected weights.bin"),
                location.getMessage());
    }

    @Test
    void aDataFileTheCardDoesNotListIsRefused(@TempDir Path dir) throws Exception {
        Path b = bundle(dir.resolve("b"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = (ObjectNode) json.readTree(b.resolve(BundleFiles.CARD).toFile());
        ((ObjectNode) card.get("files")).remove(BundleFiles.WEIGHTS);
        json.writeValue(b.resolve(BundleFiles.CARD).toFile(), card);
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(b));
        assertEquals("bundle " + b + ": card.json does not list weights.bin", e.getMessage());
    }

    @Test
    void formatOneBundlesWithInlineTablesAreStillReadAndNewerVersionsRefused(@TempDir Path dir) throws Exception {
        ModelWeights w = RandomWeights.of(SHAPE, 1);
        Path v1 = dir.resolve("v1");
        Path fresh = bundle(dir.resolve("v2"));
        Bundle current = Bundle.read(fresh);
        BundleCard card = new BundleCard(1, "neumf", 2, List.of(4, 2), 12, 9, current.card().dataset(),
                Map.of(), Map.of(), "", "test", current.card().graphs(), Map.of());
        BundleWriter.write(v1, card, ScoringGraph.build(w, "test", Map.of()).toByteArray(),
                RankingGraph.build(w, "test", Map.of()).toByteArray(), null, current.users(), current.items(),
                current.seen(), BundleBuilder.popularity(current.seen()));
        Bundle old = Bundle.read(v1);
        assertEquals(1, old.card().formatVersion());
        assertTrue(old.tables().isEmpty() && !Files.exists(v1.resolve(BundleFiles.WEIGHTS)));

        ObjectMapper json = new ObjectMapper();
        ObjectNode node = (ObjectNode) json.readTree(fresh.resolve(BundleFiles.CARD).toFile());
        node.put("formatVersion", 3);
        json.writeValue(fresh.resolve(BundleFiles.CARD).toFile(), node);
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(fresh));
        assertEquals("bundle " + fresh + ": card.json has format version 3, this reader knows versions 1 to 2",
                e.getMessage());
    }

    private static Map<String, Long> offsets(Path graph) throws Exception {
        Map<String, Long> out = new java.util.HashMap<>();
        for (TensorProto t : ModelProto.parseFrom(Files.readAllBytes(graph)).getGraph().getInitializerList()) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                for (StringStringEntryProto e : t.getExternalDataList()) {
                    if (e.getKey().equals(WeightsFile.OFFSET)) {
                        out.put(t.getName(), Long.parseLong(e.getValue()));
                    }
                }
            }
        }
        return out;
    }

    /** Sets one external data entry of a rank.onnx table, and the graph's hash in the card to match. */
    private static void editExternal(Path b, String tensor, String key, String value) throws Exception {
        GraphEdits.editExternal(b, BundleFiles.RANK_GRAPH, tensor, key, value);
    }
}
