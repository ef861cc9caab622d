package org.ncf4j.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Chunked views of a tensor's memory: rows across chunk boundaries, in place, no copy. */
class TensorMemoryTest {

    private static float[] counting(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void rowsAndRangesReadAndWriteTheTensorItselfAcrossChunks() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray t = m.create(counting(10 * 3), new Shape(10, 3));
            TensorMemory mem = TensorMemory.of(t, 8); // 2 rows of 3 per chunk: five chunks
            assertEquals(10, mem.rows());
            assertEquals(3, mem.rowLength());
            float[] row = new float[3];
            mem.getRow(7, row, 0);
            assertArrayEquals(new float[] {21, 22, 23}, row);
            mem.putRow(9, new float[] {-1, -2, -3}, 0);
            assertEquals(-2f, t.getFloat(9, 1), "a row written through the view is the tensor's");
            float[] range = new float[7];
            mem.get(4, range, 0, 7); // from row 1 into row 3, across two chunk boundaries
            assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10}, range);
            mem.put(5, new float[] {100, 101, 102}, 0, 3); // the end of chunk 0 and the start of chunk 1
            assertEquals(100f, t.getFloat(1, 2));
            assertEquals(102f, t.getFloat(2, 1));
            assertArrayEquals(t.toFloatArray(), mem.toArray());
        }
    }

    @Test
    void copiesWritesAndReadsWholeTensorsABlockAtATime() throws IOException {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.create(counting(12 * 4), new Shape(12, 4));
            NDArray b = m.zeros(new Shape(12, 4), DataType.FLOAT32);
            TensorMemory.of(b, 16).copyFrom(TensorMemory.of(a, 8));
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                TensorMemory.of(a, 8).writeTo(out);
            }
            assertEquals(12 * 4 * 4, bytes.size());
            NDArray c = m.zeros(new Shape(12, 4), DataType.FLOAT32);
            TensorMemory.of(c, 20).readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(a.toFloatArray(), c.toFloatArray());
            assertThrows(IllegalArgumentException.class,
                    () -> TensorMemory.of(m.zeros(new Shape(3, 4), DataType.FLOAT32)).copyFrom(TensorMemory.of(a)));
        }
    }

    @Test
    void findsNonFiniteValuesAndRefusesOtherTypes() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray t = m.create(counting(6), new Shape(3, 2));
            assertTrue(TensorMemory.of(t, 2).allFinite());
            t.set(new ai.djl.ndarray.index.NDIndex("2, 1"), Float.NaN);
            assertFalse(TensorMemory.of(t, 2).allFinite());
            NDArray ints = m.create(new int[] {1, 2});
            assertFalse(TensorMemory.supports(ints));
            assertThrows(IllegalArgumentException.class, () -> TensorMemory.of(ints));
            TensorMemory vector = TensorMemory.of(m.create(counting(5)));
            assertEquals(1, vector.rows());
            assertEquals(5, vector.rowLength());
        }
    }
}
