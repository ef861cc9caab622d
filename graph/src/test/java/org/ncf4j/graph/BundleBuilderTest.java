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

class BundleBuilderTest {
    @Test
    void aBundleOfRandomWeightsPassesValidationForEveryVariant(@TempDir Path dir) throws Exception {
        for (Variant v : Variant.values()) {
            ModelShape shape = new ModelShape(v, 30, 20, 4, new int[] {8, 4, 2});
            long t0 = System.nanoTime();
            SyntheticBundles.write(dir.resolve(v.label()), shape, 7, 5);
            Bundle b = Bundle.read(dir.resolve(v.label()));
            assertEquals(v.label(), b.card().variant());
            assertEquals(30, b.users().size());
            assertEquals("i19", b.items().id(19));
            assertEquals(b.seen().size(), java.util.Arrays.stream(b.popularity()).sum());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "building a tiny bundle took seconds");
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
        values.put("gmf_user_embedding", new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelWeights(shape, values));
        assertTrue(e.getMessage().contains("gmf_user_embedding"), e.getMessage());
        values.remove("gmf_user_embedding");
        assertThrows(IllegalArgumentException.class, () -> new ModelWeights(shape, values));
    }
}
