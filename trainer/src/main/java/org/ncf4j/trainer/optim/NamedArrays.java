package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.ncf4j.trainer.model.TensorMemory;

/**
 * The arrays of a run's resume state (the parameters, the optimizer's moments and step counts, the mean of the
 * parameters): each is written as its name ({@link DataOutputStream#writeUTF}), its length (an int; for an array of
 * 2^31 values or more, -1 and then the length as a long) and its values (big-endian), and checked by name and
 * length when read back. Tensors are written and read through their own memory ({@link TensorMemory}), a block at
 * a time, so that no copy of a table is ever held whole.
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
     * memory when it is a float32 tensor on the CPU, else through DJL (tensors of other devices are small enough).
     */
    public static void read(DataInputStream s, String name, NDArray into) throws IOException {
        if (TensorMemory.supports(into)) {
            read(s, name, TensorMemory.of(into));
            return;
        }
        float[] values = new float[Math.toIntExact(into.size())];
        read(s, name, values);
        into.set(FloatBuffer.wrap(values));
    }

    /** Writes a parameter's tensor: from its own memory when it is a float32 tensor on the CPU, else through DJL. */
    public static void write(DataOutputStream s, String name, NDArray a) throws IOException {
        if (TensorMemory.supports(a)) {
            write(s, name, TensorMemory.of(a));
        } else {
            write(s, name, a.toFloatArray());
        }
    }

    /** Writes a tensor's values from its own memory. */
    public static void write(DataOutputStream s, String name, TensorMemory a) throws IOException {
        header(s, name, a.size());
        a.writeTo(s);
    }

    /** Reads the array named {@code name} into a tensor's own memory, whose size it must have. */
    public static void read(DataInputStream s, String name, TensorMemory into) throws IOException {
        expect(s, name, into.size());
        into.readFrom(s);
    }

    /** Writes an array's name and length; its {@code length} values (big-endian floats) must follow. */
    static void header(DataOutputStream s, String name, long length) throws IOException {
        s.writeUTF(name);
        if (length <= Integer.MAX_VALUE) {
            s.writeInt((int) length);
        } else {
            s.writeInt(-1);
            s.writeLong(length);
        }
    }

    /** Reads an array's name and length and checks them; its values follow. */
    static void expect(DataInputStream s, String name, long length) throws IOException {
        String found = s.readUTF();
        int written = s.readInt();
        long n = written == -1 ? s.readLong() : written;
        if (!found.equals(name) || n != length) {
            throw new IOException("expected " + name + " of " + length + " values, found " + found + " of " + n
                    + " (the state is of another model or optimizer)");
        }
    }
}
