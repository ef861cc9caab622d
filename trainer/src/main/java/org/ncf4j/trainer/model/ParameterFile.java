package org.ncf4j.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ncf4j.data.Directories;

/**
 * A model's saved parameters ({@code parameters.bin}): a magic line, then for each parameter in definition order its
 * name ({@link DataOutputStream#writeUTF}), its number of values (a long) and its values as big-endian floats.
 * Written and read through each tensor's own memory ({@link TensorMemory}), a block at a time, so that tables of any
 * size are saved without a copy on the heap (DJL's own parameter file holds each tensor's bytes in one Java array,
 * which stops at 2 GB). Written atomically.
 */
final class ParameterFile {
    private static final String MAGIC = "ncf4j-parameters-1";

    private ParameterFile() {
    }

    static void write(Path file, Map<String, Parameter> parameters) throws IOException {
        Directories.writeAtomically(file, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    1 << 20))) {
                out.writeUTF(MAGIC);
                out.writeInt(parameters.size());
                for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                    NDArray a = e.getValue().getArray();
                    out.writeUTF(e.getKey());
                    out.writeLong(a.size());
                    if (TensorMemory.supports(a)) {
                        TensorMemory.of(a).writeTo(out);
                    } else {
                        for (float v : a.toFloatArray()) {
                            out.writeFloat(v);
                        }
                    }
                }
            }
        });
    }

    /** Reads every parameter of {@code into} from {@code file}, checking names, order and sizes. */
    static void read(Path file, Map<String, Parameter> into) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file),
                1 << 20))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(file.getFileName() + " is not a parameter file of this version of ncf4j");
            }
            int count = in.readInt();
            if (count != into.size()) {
                throw new IOException(file.getFileName() + " holds " + count + " parameters, the model has "
                        + into.size());
            }
            for (Map.Entry<String, Parameter> e : into.entrySet()) {
                String name = in.readUTF();
                long size = in.readLong();
                NDArray a = e.getValue().getArray();
                if (!name.equals(e.getKey()) || size != a.size()) {
                    throw new IOException(file.getFileName() + " holds " + name + " of " + size + " values where "
                            + "the model has " + e.getKey() + " of " + a.size());
                }
                if (TensorMemory.supports(a)) {
                    TensorMemory.of(a).readFrom(in);
                } else {
                    float[] values = new float[Math.toIntExact(size)];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = in.readFloat();
                    }
                    a.set(values);
                }
            }
            if (in.read() != -1) {
                throw new IOException(file.getFileName() + " holds more than the model's parameters");
            }
        }
    }
}
