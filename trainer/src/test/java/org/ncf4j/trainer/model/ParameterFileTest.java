package org.ncf4j.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.DataException;

/** Checkpoints: written from the tensors' memory and read back exactly; earlier checkpoints in DJL's file load. */
class ParameterFileTest {
    private static final ModelShape SHAPE = new ModelShape(Variant.NEUMF, 30, 20, 4, new int[] {8, 4});

    @TempDir
    Path dir;

    private static void assertSameParameters(NcfModel a, NcfModel b) {
        for (String name : a.spec().parameters().keySet()) {
            assertArrayEquals(a.weights().get(name), b.weights().get(name), name);
        }
    }

    @Test
    void aSavedModelLoadsWithTheSameParameters() throws Exception {
        try (NcfModel model = NcfModel.create(SHAPE, Device.cpu(), 7, 0f, 0f)) {
            SavedModel.save(model, dir, "fp");
            assertTrue(Files.isRegularFile(dir.resolve(NcfModel.PARAMETERS)));
            try (NcfModel loaded = SavedModel.load(dir, Device.cpu())) {
                assertSameParameters(model, loaded);
            }
        }
    }

    @Test
    void aCheckpointOfAnEarlierVersionInDjlsFileLoadsAndIsReplacedWhenSavedAgain() throws Exception {
        try (NcfModel model = NcfModel.create(SHAPE, Device.cpu(), 7, 0f, 0f)) {
            SavedModel.save(model, dir, "fp");
            Files.delete(dir.resolve(NcfModel.PARAMETERS));
            try (Model djl = Model.newInstance(NcfModel.NAME, Device.cpu(), "PyTorch")) {
                djl.setBlock(model.block());
                djl.save(dir, NcfModel.NAME); // what earlier versions wrote
            }
            Path earlier = dir.resolve(NcfModel.NAME + "-0000.params");
            assertTrue(Files.isRegularFile(earlier));
            try (NcfModel loaded = SavedModel.load(dir, Device.cpu())) {
                assertSameParameters(model, loaded);
                SavedModel.save(loaded, dir, "fp");
            }
            assertFalse(Files.exists(earlier));
        }
    }

    @Test
    void aTruncatedOrForeignFileIsRefusedNamingTheFolder() throws Exception {
        try (NcfModel model = NcfModel.create(SHAPE, Device.cpu(), 7, 0f, 0f)) {
            SavedModel.save(model, dir, "fp");
        }
        Path file = dir.resolve(NcfModel.PARAMETERS);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        DataException truncated = assertThrows(DataException.class, () -> SavedModel.load(dir, Device.cpu()));
        assertTrue(truncated.getMessage().endsWith("the parameter file ends early (truncated)"),
                truncated.getMessage());
        Files.writeString(file, "not parameters");
        DataException foreign = assertThrows(DataException.class, () -> SavedModel.load(dir, Device.cpu()));
        assertTrue(foreign.getMessage().contains("cannot load the neumf parameters saved in " + dir),
                foreign.getMessage());
    }
}
