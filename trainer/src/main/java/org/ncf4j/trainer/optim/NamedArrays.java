package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The arrays of a run's resume state (the parameters, the optimizer's moments and step counts, the mean of the
 * parameters): each is written as its name ({@link DataOutputStream#writeUTF}), its length (an int) and its values
 * (big-endian), and checked by name and length when read back.
 */
public final class NamedArrays {
    /** Values per chunk when arrays are written and read. */
    private static final int CHUNK = 1 << 16;

    private NamedArrays() {
    }

    public static void write(DataOutputStream s, String name, float[] a) throws IOException {
        s.writeUTF(name);
        s.writeInt(a.length);
        ByteBuffer b = ByteBuffer.allocate(Math.min(a.length, CHUNK) * Float.BYTES);
        for (int from = 0; from < a.length; from += CHUNK) {
            int n = Math.min(CHUNK, a.length - from);
            b.clear();
            b.asFloatBuffer().put(a, from, n);
            s.write(b.array(), 0, n * Float.BYTES);
        }
    }

    public static void write(DataOutputStream s, String name, long[] a) throws IOException {
        s.writeUTF(name);
        s.writeInt(a.length);
        for (long v : a) {
            s.writeLong(v);
        }
    }

    /** Reads the array named {@code name} into {@code into}, whose length it must have. */
    public static void read(DataInputStream s, String name, float[] into) throws IOException {
        expect(s, name, into.length);
        byte[] bytes = new byte[Math.min(into.length, CHUNK) * Float.BYTES];
        for (int from = 0; from < into.length; from += CHUNK) {
            int n = Math.min(CHUNK, into.length - from);
            s.readFully(bytes, 0, n * Float.BYTES);
            ByteBuffer.wrap(bytes, 0, n * Float.BYTES).asFloatBuffer().get(into, from, n);
        }
    }

    public static void read(DataInputStream s, String name, long[] into) throws IOException {
        expect(s, name, into.length);
        for (int i = 0; i < into.length; i++) {
            into[i] = s.readLong();
        }
    }

    /**
     * Reads the array named {@code name} into a parameter's tensor, whose size it must have: into the tensor's own
     * memory when it is a float32 tensor on the CPU (the memory the trainers view), else through DJL.
     */
    public static void read(DataInputStream s, String name, NDArray into) throws IOException {
        float[] values = new float[Math.toIntExact(into.size())];
        read(s, name, values);
        if (CpuAdam.supports(List.of(into))) {
            CpuAdam.view(into).put(0, values); // into the tensor's own memory
        } else {
            into.set(FloatBuffer.wrap(values));
        }
    }

    private static void expect(DataInputStream s, String name, int length) throws IOException {
        String found = s.readUTF();
        int n = s.readInt();
        if (!found.equals(name) || n != length) {
            throw new IOException("expected " + name + " of " + length + " values, found " + found + " of " + n
                    + " (the state is of another model or optimizer)");
        }
    }
}
