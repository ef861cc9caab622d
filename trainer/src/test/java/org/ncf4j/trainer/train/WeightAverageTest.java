package org.ncf4j.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.trainer.model.NcfModel;

class WeightAverageTest {
    private static final ModelShape SHAPE = new ModelShape(Variant.NEUMF, 5, 6, 3, new int[] {8, 4, 2});

    /** Sets every parameter of {@code model} to {@code k} times its index in the flattened array, plus {@code k}. */
    private static void fill(NcfModel model, float k) {
        for (Parameter p : model.parameters().values()) {
            float[] v = new float[Math.toIntExact(p.getArray().size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = k * (i + 1);
            }
            p.getArray().set(v);
        }
    }

    private static void assertFilled(NcfModel model, float k) {
        for (Map.Entry<String, Parameter> p : model.parameters().entrySet()) {
            float[] v = p.getValue().getArray().toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(k * (i + 1), v[i], 1e-4 * (i + 1), p.getKey() + "[" + i + "]");
            }
        }
    }

    @Test
    void theModelHoldsTheMeanOfTheParametersAddedAndTheTrainedModelIsLeftAlone() {
        try (NcfModel trained = NcfModel.create(SHAPE, Device.cpu(), 1, 0, 0);
             WeightAverage average = new WeightAverage(trained, 1)) {
            assertThrows(IllegalStateException.class, average::model);
            fill(trained, 1);
            assertFilled(average.add(), 1);
            fill(trained, 2);
            average.add();
            fill(trained, 6);
            NcfModel mean = average.add();
            assertEquals(3, average.count());
            assertFilled(mean, 3); // (1 + 2 + 6) / 3
            assertFilled(trained, 6);
            float[] users = mean.logits(new int[] {0, 4}, new int[] {5, 0}, 0, 2);
            assertEquals(2, users.length);
        }
    }

    @Test
    void theMeanIsWrittenAndReadBackWithItsCount() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NcfModel trained = NcfModel.create(SHAPE, Device.cpu(), 1, 0, 0);
             WeightAverage average = new WeightAverage(trained, 1)) {
            fill(trained, 1);
            average.add();
            fill(trained, 3);
            average.add();
            try (DataOutputStream s = new DataOutputStream(bytes)) {
                average.write(s);
            }
        }
        try (NcfModel trained = NcfModel.create(SHAPE, Device.cpu(), 2, 0, 0);
             WeightAverage read = new WeightAverage(trained, 2)) {
            read.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 2);
            assertEquals(2, read.count());
            assertFilled(read.model(), 2);
            fill(trained, 5); // the third epoch weighs a third, as in the run that was not stopped
            assertFilled(read.add(), 3);
        }
        try (NcfModel other = NcfModel.create(new ModelShape(Variant.GMF, 5, 6, 3, new int[] {8, 4, 2}),
                Device.cpu(), 1, 0, 0); WeightAverage read = new WeightAverage(other, 1)) {
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> read.read(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 2));
            assertTrue(e.getMessage().contains("another model"), e.getMessage());
        }
    }

    @Test
    void nothingIsWrittenOrReadWhenNothingWasAveraged() throws Exception {
        try (NcfModel trained = NcfModel.create(SHAPE, Device.cpu(), 1, 0, 0);
             WeightAverage average = new WeightAverage(trained, 1)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream s = new DataOutputStream(bytes)) {
                average.write(s);
            }
            assertArrayEquals(new byte[0], bytes.toByteArray());
            average.read(new DataInputStream(new ByteArrayInputStream(new byte[0])), 0);
            assertEquals(0, average.count());
        }
    }
}
