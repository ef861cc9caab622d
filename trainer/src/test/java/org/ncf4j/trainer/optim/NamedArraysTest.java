package org.ncf4j.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.trainer.model.NcfModel;

class NamedArraysTest {
    private static byte[] written(IoWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        }
        return bytes.toByteArray();
    }

    private interface IoWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static DataInputStream in(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /** The bytes resume states hold: a state written before this class existed must still read. */
    @Test
    void anArrayIsItsNameItsLengthAndItsBigEndianValues() throws IOException {
        assertEquals("0001" + "61" + "00000002" + "3fc00000" + "c0000000",
                HexFormat.of().formatHex(written(out -> NamedArrays.write(out, "a", new float[] {1.5f, -2f}))));
        assertEquals("0006" + "737465707321" + "00000001" + "0000000000000007",
                HexFormat.of().formatHex(written(out -> NamedArrays.write(out, "steps!", new long[] {7}))));
    }

    @Test
    void arraysLongerThanAChunkReadBackAsWritten() throws IOException {
        float[] floats = new float[(1 << 16) * 2 + 3];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = i * 0.25f - 7;
        }
        long[] longs = {3, -1, Long.MAX_VALUE};
        DataInputStream in = in(written(out -> {
            NamedArrays.write(out, "m", floats);
            NamedArrays.write(out, "t", longs);
        }));
        float[] f = new float[floats.length];
        long[] l = new long[longs.length];
        NamedArrays.read(in, "m", f);
        NamedArrays.read(in, "t", l);
        assertArrayEquals(floats, f);
        assertArrayEquals(longs, l);
        assertEquals(-1, in.read());
    }

    @Test
    void anArrayOfAnotherNameOrLengthIsRefused() throws IOException {
        byte[] bytes = written(out -> NamedArrays.write(out, "adam.m0", new float[] {1, 2}));
        IOException name = assertThrows(IOException.class, () -> NamedArrays.read(in(bytes), "adam.v0", new float[2]));
        assertEquals("expected adam.v0 of 2 values, found adam.m0 of 2 (the state is of another model or optimizer)",
                name.getMessage());
        IOException length = assertThrows(IOException.class,
                () -> NamedArrays.read(in(bytes), "adam.m0", new float[3]));
        assertEquals("expected adam.m0 of 3 values, found adam.m0 of 2 (the state is of another model or optimizer)",
                length.getMessage());
    }

    @Test
    void aParameterIsReadIntoItsTensor() throws IOException {
        ModelShape spec = new ModelShape(Variant.GMF, 4, 3, 4, new int[] {8, 4});
        try (NcfModel model = NcfModel.create(spec, Device.cpu(), 1, 0, 0)) {
            for (var p : model.parameters().entrySet()) {
                NDArray array = p.getValue().getArray();
                float[] values = new float[Math.toIntExact(array.size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = i + 0.5f;
                }
                NamedArrays.read(in(written(out -> NamedArrays.write(out, p.getKey(), values))), p.getKey(), array);
                assertArrayEquals(values, array.toFloatArray(), p.getKey());
            }
        }
    }
}
