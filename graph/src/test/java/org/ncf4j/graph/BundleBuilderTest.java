package org.ncf4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.contract.Variant;

class BundleBuilderTest {
    @Test
    void aBundleOfRandomWeightsPassesValidationForEveryVariant(@TempDir Path dir) throws Exception {
        for (Variant v : Variant.values()) {
            ModelShape shape = new ModelShape(v, 30, 20, 4, new int[] {8, 4, 2});
            SyntheticBundles.write(dir.resolve(v.label()), shape, 7, 5);
            Bundle b = Bundle.read(dir.resolve(v.label()));
            assertEquals(v.label(), b.card().variant());
            assertEquals(30, b.users().size());
            assertEquals("i19", b.items().id(19));
            assertEquals(b.seen().size(), java.util.Arrays.stream(b.popularity()).sum());
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        ModelShape shape = new ModelShape(Variant.NEUMF, 5, 6, 2, new int[] {4, 2});
        ModelWeights a = RandomWeights.of(shape, 3);
        ModelWeights b = RandomWeights.of(shape, 3);
        for (String name : shape.parameters().keySet()) {
            assertEquals(java.util.Arrays.toString(a.get(name)), java.util.Arrays.toString(b.get(name)), name);
        }
    }

    @Test
    void weightsMustMatchTheShape() {
        ModelShape shape = new ModelShape(Variant.GMF, 5, 6, 2, new int[0]);
        Map<String, float[]> values = new HashMap<>(RandomWeights.of(shape, 1).values());
        values.put(TensorNames.GMF_USER_EMBEDDING, new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelWeights(shape, values));
        assertTrue(e.getMessage().contains(TensorNames.GMF_USER_EMBEDDING), e.getMessage());
        values.remove(TensorNames.GMF_USER_EMBEDDING);
        assertThrows(IllegalArgumentException.class, () -> new ModelWeights(shape, values));
    }

    @Test
    void tablesGivenAsSourcesAreWrittenAsTheSameBytesAndReadABlockAtATime(@TempDir Path dir) throws Exception {
        ModelShape shape = new ModelShape(Variant.NEUMF, 30, 20, 4, new int[] {8, 4});
        ModelWeights arrays = RandomWeights.of(shape, 5);
        Map<String, float[]> layers = new HashMap<>(arrays.values());
        Map<String, org.ncf4j.bundle.FloatSource> tables = new HashMap<>();
        int[] reads = new int[1];
        for (String name : shape.parameters().keySet()) {
            if (TensorNames.isEmbedding(name)) {
                float[] v = layers.remove(name);
                tables.put(name, new org.ncf4j.bundle.FloatSource() {
                    @Override
                    public long size() {
                        return v.length;
                    }

                    @Override
                    public void read(long from, float[] into, int at, int n) {
                        reads[0]++;
                        System.arraycopy(v, (int) from, into, at, n);
                    }
                });
            }
        }
        ModelWeights sources = new ModelWeights(shape, layers, tables);
        org.ncf4j.data.IdMap users = new org.ncf4j.data.IdMap();
        org.ncf4j.data.IdMap items = new org.ncf4j.data.IdMap();
        for (int i = 0; i < 30; i++) {
            users.add("u" + i);
        }
        for (int i = 0; i < 20; i++) {
            items.add("i" + i);
        }
        org.ncf4j.data.UserItems seen = org.ncf4j.data.UserItems.of(30, 20, new int[] {0, 1}, new int[] {3, 4}, 2);
        BundleBuilder.write(dir.resolve("a"), arrays, users, items, seen, Map.of("name", "t", "fingerprint", "f"),
                Map.of(), Map.of());
        BundleBuilder.write(dir.resolve("s"), sources, users, items, seen, Map.of("name", "t", "fingerprint", "f"),
                Map.of(), Map.of());
        assertTrue(reads[0] > 0, "the tables were read from their sources");
        String weights = org.ncf4j.bundle.BundleFiles.WEIGHTS;
        assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(dir.resolve("a").resolve(weights)),
                java.nio.file.Files.readAllBytes(dir.resolve("s").resolve(weights))));
        Bundle.read(dir.resolve("s"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new ModelWeights(shape, arrays.values(), tables));
        assertTrue(twice.getMessage().contains("has parameters"), twice.getMessage());
    }
}
