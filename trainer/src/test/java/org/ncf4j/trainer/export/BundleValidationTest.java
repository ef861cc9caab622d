package org.ncf4j.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.BundleException;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.Sha256;
import org.ncf4j.data.EvalSet;
import org.ncf4j.data.IdMap;
import org.ncf4j.data.Split;
import org.ncf4j.data.UserItems;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.contract.Variant;

/** Exported bundles read back whole, and each kind of damage is refused with a message naming file and problem. */
class BundleValidationTest {
    @TempDir
    Path dir;
    Path bundle;
    Split split;

    static Split split() {
        IdMap users = new IdMap();
        IdMap items = new IdMap();
        for (int u = 0; u < ExportFixtures.USERS; u++) {
            users.add("user-" + u);
        }
        for (int i = 0; i < ExportFixtures.ITEMS; i++) {
            items.add("84707B-" + i);
        }
        int n = ExportFixtures.USERS * 3;
        int[] u = new int[n];
        int[] it = new int[n];
        for (int k = 0; k < n; k++) {
            u[k] = k % ExportFixtures.USERS;
            it[k] = (k * 7) % ExportFixtures.ITEMS;
        }
        UserItems train = UserItems.of(ExportFixtures.USERS, ExportFixtures.ITEMS, u, it, n);
        EvalSet test = new EvalSet(new int[] {0}, new int[] {1}, new int[][] {{2, 3}});
        return new Split("tiny", users, items, train, test, null, 0);
    }

    @BeforeEach
    void export() throws Exception {
        split = split();
        bundle = dir.resolve("neumf/1");
        try (NcfModel model = ExportFixtures.model(Variant.NEUMF, 1)) {
            BundleExporter.export(model, split, null, bundle);
        }
    }

    private Path copy(String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(bundle)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static String refusal(Path b) {
        return assertThrows(BundleException.class, () -> Bundle.read(b)).getMessage();
    }

    private static void editCard(Path b, String from, String to) throws IOException {
        Path card = b.resolve(BundleFiles.CARD);
        String json = Files.readString(card);
        assertTrue(json.contains(from), json);
        Files.writeString(card, json.replace(from, to));
    }

    @Test
    void anExportedBundleReadsBackWhole() throws Exception {
        Bundle b = Bundle.read(bundle);
        BundleCard card = b.card();
        assertEquals(BundleCard.FORMAT_VERSION, card.formatVersion());
        assertEquals("neumf", card.variant());
        assertEquals(ExportFixtures.USERS, b.users().size());
        assertEquals("84707B-5", b.items().id(5));
        for (int u = 0; u < ExportFixtures.USERS; u++) {
            assertArrayEquals(split.train().items(u), b.seen().items(u));
        }
        assertEquals(split.train().size(), Arrays.stream(b.popularity()).sum());
        assertEquals(BundleFiles.REQUIRED.size(), card.files().size());
        assertEquals(Sha256.of(b.scoreGraph()), card.files().get(BundleFiles.SCORE_GRAPH));
        try (Stream<Path> siblings = Files.list(bundle.getParent())) {
            assertEquals(1, siblings.count(), "a temporary directory was left next to the bundle");
        }
    }

    @Test
    void aTruncatedGraphIsRefusedByItsHash() throws Exception {
        Path b = copy("truncated");
        Path graph = b.resolve(BundleFiles.SCORE_GRAPH);
        byte[] bytes = Files.readAllBytes(graph);
        Files.write(graph, Arrays.copyOf(bytes, bytes.length / 2));
        String message = refusal(b);
        assertTrue(message.contains("score.onnx does not match its SHA-256"), message);
    }

    @Test
    void aTruncatedGraphWithAMatchingHashIsRefusedAsInvalidOnnx() throws Exception {
        Path b = copy("truncated-rehashed");
        Path graph = b.resolve(BundleFiles.RANK_GRAPH);
        byte[] bytes = Files.readAllBytes(graph);
        Files.write(graph, Arrays.copyOf(bytes, bytes.length - 7));
        editCard(b, Sha256.of(bundle.resolve(BundleFiles.RANK_GRAPH)), Sha256.of(graph));
        String message = refusal(b);
        assertTrue(message.contains("rank.onnx is not a valid ONNX model"), message);
    }

    @Test
    void anEditedCardIsRefusedWhereItDisagreesWithTheFiles() throws Exception {
        Path users = copy("users");
        editCard(users, "\"numUsers\" : 13", "\"numUsers\" : 14");
        assertTrue(refusal(users).contains("users.txt has 13 users, card.json says 14"), refusal(users));
        Path factor = copy("factor");
        editCard(factor, "\"factor\" : 4", "\"factor\" : 8");
        String message = refusal(factor);
        assertTrue(message.contains("score.onnx: weight 'gmf_user_embedding' has shape [13, 4], the card implies "
                + "[13, 8]"), message);
    }

    /** Rewrites the dims of rank.onnx's MLP item side, as an older export or a damaged file would have them. */
    private Path withItemSideDims(String name, long rows, long cols) throws IOException {
        Path b = copy(name);
        Path graph = b.resolve(BundleFiles.RANK_GRAPH);
        ModelProto.Builder model = ModelProto.parseFrom(Files.readAllBytes(graph)).toBuilder();
        for (TensorProto.Builder t : model.getGraphBuilder().getInitializerBuilderList()) {
            if (t.getName().equals("mlp_0_item_side")) {
                t.clearDims().addDims(rows).addDims(cols);
            }
        }
        String before = Sha256.of(graph);
        Files.write(graph, model.build().toByteArray());
        editCard(b, before, Sha256.of(graph));
        return b;
    }

    @Test
    void theRankingGraphsItemSideIsCheckedInEitherLayout() throws Exception {
        long width = ExportFixtures.LAYERS[1];
        Bundle.read(withItemSideDims("item-last", width, ExportFixtures.ITEMS));
        Bundle.read(withItemSideDims("item-first", ExportFixtures.ITEMS, width));
        String message = refusal(withItemSideDims("wrong", ExportFixtures.ITEMS, width + 1));
        assertTrue(message.contains("rank.onnx: weight 'mlp_0_item_side' has shape [" + ExportFixtures.ITEMS
                + ", " + (width + 1) + "], the card implies [" + width + ", " + ExportFixtures.ITEMS + "]"), message);
    }

    @Test
    void aMissingIdMapIsNamed() throws Exception {
        Path b = copy("missing");
        Files.delete(b.resolve(BundleFiles.ITEMS));
        String message = refusal(b);
        assertTrue(message.contains("items.txt is missing"), message);
    }

    @Test
    void anUnknownFormatVersionIsRefused() throws Exception {
        Path b = copy("version");
        editCard(b, "\"formatVersion\" : 2", "\"formatVersion\" : 3");
        String message = refusal(b);
        assertTrue(message.contains("format version 3, this reader knows versions 1 to 2"), message);
    }

    @Test
    void aCardThatIsNotJsonOrIsMissingIsNamed() throws Exception {
        Path broken = copy("broken");
        Files.writeString(broken.resolve(BundleFiles.CARD), "{ not json", StandardCharsets.UTF_8);
        assertTrue(refusal(broken).contains("card.json is not a valid card"), refusal(broken));
        Path none = copy("none");
        Files.delete(none.resolve(BundleFiles.CARD));
        assertTrue(refusal(none).contains("card.json is missing"), refusal(none));
    }

    @Test
    void aCardWithAnUnknownVariantOrWithoutItsGraphsIsRefused() throws Exception {
        Path variant = copy("variant");
        editCard(variant, "\"variant\" : \"neumf\"", "\"variant\" : \"svd\"");
        assertTrue(refusal(variant).contains("variant 'svd', expected gmf, mlp or neumf"), refusal(variant));
        Path graphs = copy("graphs");
        editCard(graphs, "\"rank\" : \"rank.onnx\"", "\"ranking\" : \"rank.onnx\"");
        assertTrue(refusal(graphs).contains("must name the 'rank' graph"), refusal(graphs));
    }

    @Test
    void seenItemsThatDoNotDecodeAreRefused() throws Exception {
        Path b = copy("seen");
        Path seen = b.resolve(BundleFiles.SEEN);
        byte[] bytes = Files.readAllBytes(seen);
        // the last user's row offset points past the items
        int at = 4 * (3 + ExportFixtures.USERS);
        bytes[at] = (byte) 0x7f;
        String before = Sha256.of(seen);
        Files.write(seen, bytes);
        editCard(b, before, Sha256.of(seen));
        String message = refusal(b);
        assertTrue(message.contains("seen.csr: row offsets"), message);
    }

    @Test
    void anExistingVersionIsNeverOverwritten() throws Exception {
        try (NcfModel model = ExportFixtures.model(Variant.GMF, 2)) {
            assertThrows(FileAlreadyExistsException.class,
                    () -> BundleExporter.export(model, split, null, bundle));
        }
        assertEquals("neumf", Bundle.read(bundle).card().variant());
    }

    @Test
    void aFailedExportLeavesNothingBehind() throws Exception {
        IdMap bad = new IdMap();
        for (int u = 0; u < ExportFixtures.USERS; u++) {
            bad.add(u == 3 ? "line\nbreak" : "u" + u);
        }
        Split broken = new Split("bad", bad, split.items(), split.train(), split.test(), null, 0);
        Path target = dir.resolve("bad/1");
        try (NcfModel model = ExportFixtures.model(Variant.GMF, 2)) {
            assertThrows(IOException.class, () -> BundleExporter.export(model, broken, null, target));
        }
        assertFalse(Files.exists(target));
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertEquals(0, left.count(), "a partial export was left behind");
        }
    }
}
