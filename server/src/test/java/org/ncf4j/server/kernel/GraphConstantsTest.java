package org.ncf4j.server.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.server.TestBundles;

/** The kernel reads the constants the model's shape implies, and declines a graph whose constants differ. */
class GraphConstantsTest {
    @Test
    void everyConstantTheShapeImpliesIsReadWithItsSize(@TempDir Path dir) {
        for (ModelShape shape : FusedRankerTest.shapes()) {
            Bundle bundle = Bundle.read(TestBundles.write(dir.resolve(shape.variant() + "-" + shape.numItems()
                    + "-" + shape.layers().length), shape, 1));
            GraphConstants c = GraphConstants.read(bundle.rankModel(), bundle.tables(), shape);
            for (Map.Entry<String, long[]> e : shape.rankingConstants().entrySet()) {
                long size = 1;
                for (long d : e.getValue()) {
                    size *= d;
                }
                assertEquals(size, c.get(e.getKey()).size(), shape + " " + e.getKey());
            }
        }
    }

    @Test
    void aConstantOfAnotherSizeIsNamed(@TempDir Path dir) throws Exception {
        Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b"), 1));
        byte[] graph = edit(bundle.rankModel(), TensorNames.MLP_OUTPUT_WEIGHT,
                t -> t.setRawData(t.getRawData().substring(4))); // one float fewer
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphConstants.read(graph, bundle.tables(), TestBundles.SHAPE));
        int last = TestBundles.SHAPE.layers()[TestBundles.SHAPE.layers().length - 1];
        assertEquals("the ranking graph's " + TensorNames.MLP_OUTPUT_WEIGHT + " has " + (last - 1)
                + " values, expected " + last, e.getMessage());
    }

    @Test
    void theFirstLayersItemSideInTheOlderLayoutIsDeclined(@TempDir Path dir) throws Exception {
        Bundle bundle = Bundle.read(TestBundles.write(dir.resolve("b"), 1));
        // [items, width]: as many values as [width, items], in the layout bundles had before
        byte[] graph = edit(bundle.rankModel(), TensorNames.MLP_0_ITEM_SIDE,
                t -> t.clearDims().addDims(TestBundles.ITEMS).addDims(TestBundles.SHAPE.layers()[1]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphConstants.read(graph, bundle.tables(), TestBundles.SHAPE));
        assertEquals(TensorNames.MLP_0_ITEM_SIDE + " is [items, width], an older layout", e.getMessage());
    }

    /** The graph with one initializer changed. */
    private static byte[] edit(byte[] graph, String name, Consumer<TensorProto.Builder> change)
            throws Exception {
        ModelProto.Builder m = ModelProto.parseFrom(graph).toBuilder();
        boolean found = false;
        for (TensorProto.Builder t : m.getGraphBuilder().getInitializerBuilderList()) {
            if (t.getName().equals(name)) {
                change.accept(t);
                found = true;
            }
        }
        assertTrue(found, name);
        return m.build().toByteArray();
    }
}
