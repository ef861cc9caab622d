package org.ncf4j.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle's data file ({@link BundleFiles#WEIGHTS}) as it is written: the model's tables, each stored once
 * (both graphs refer to the same bytes), float32 little-endian, each starting at a multiple of {@link #ALIGNMENT}
 * bytes so that runtimes can map them, zeros between. The graphs refer to a table by ONNX external data: the
 * entries {@link #LOCATION}, {@link #OFFSET} and {@link #LENGTH}. Written streamed, through a small buffer, with no
 * copy of a table.
 */
public final class WeightsFile {
    /** Where each table starts: a multiple of the page size, as memory mapping needs. */
    public static final int ALIGNMENT = 4096;
    /** ONNX external data keys. */
    public static final String LOCATION = "location";
    public static final String OFFSET = "offset";
    public static final String LENGTH = "length";

    /** One table: its name, where it starts in the file and its values. */
    public record Entry(String name, long offset, FloatSource values) {
        public long length() {
            return 4L * values.size();
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private long end;

    /**
     * Adds a table, or finds it when a graph added it before: a name is stored once, and must then come with the
     * same values.
     *
     * @return where the table is
     * @throws IllegalArgumentException when the name was added with other values
     */
    public Entry add(String name, float[] values) {
        return add(name, FloatSource.of(values));
    }

    /** As above, for values read a block at a time when the file is written (a source may be added once per name). */
    public Entry add(String name, FloatSource values) {
        Entry e = entries.get(name);
        if (e != null) {
            if (!e.values().equals(values)) {
                throw new IllegalArgumentException("table '" + name + "' was added twice with different values");
            }
            return e;
        }
        long offset = (end + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        e = new Entry(name, offset, values);
        entries.put(name, e);
        end = offset + e.length();
        return e;
    }

    /** The tables in file order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    /** The file's size in bytes. */
    public long size() {
        return end;
    }

    /** Writes the file, creating it (it must not exist). */
    public void write(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = buf.asFloatBuffer();
        float[] block = new float[floats.capacity()];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long at = 0;
            for (Entry e : entries.values()) {
                ByteBuffer zeros = ByteBuffer.allocate((int) (e.offset() - at));
                while (zeros.hasRemaining()) {
                    ch.write(zeros);
                }
                FloatSource v = e.values();
                for (long from = 0; from < v.size(); ) {
                    int n = (int) Math.min(block.length, v.size() - from);
                    v.read(from, block, 0, n);
                    floats.clear();
                    floats.put(block, 0, n);
                    buf.clear().limit(4 * n);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    from += n;
                }
                at = e.offset() + e.length();
            }
        }
    }
}
