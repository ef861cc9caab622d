package org.ncf4j.server.inference;

import java.util.Arrays;
import org.ncf4j.server.error.ServingException;

/**
 * A named tensor of the Open Inference Protocol: its datatype, its shape and its elements, flattened row-major.
 * Elements are held for the datatypes the models take and give ({@code BYTES} as strings, {@code INT32},
 * {@code INT64}, {@code FP32}); a tensor of any other datatype the protocol knows keeps only its shape, which is
 * enough to refuse it by name.
 */
public final class Tensor {
    /** The protocol's datatypes with their element sizes in bytes ({@code BYTES}: variable, 0 here). */
    public enum Datatype {
        BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8), INT8(1), INT16(2), INT32(4), INT64(8), FP16(2), BF16(2),
        FP32(4), FP64(8), BYTES(0);

        private final int size;

        Datatype(int size) {
            this.size = size;
        }

        /** Bytes per element; 0 for BYTES, whose elements carry their own lengths. */
        public int size() {
            return size;
        }

        /** The datatype a request names, or INVALID_ARGUMENT naming the tensor. */
        public static Datatype of(String name, String tensor) {
            try {
                return valueOf(name);
            } catch (IllegalArgumentException e) {
                throw ServingException.invalid("tensor '" + tensor + "' has unknown datatype " + quoted(name)
                        + ": expected one of " + Arrays.toString(values()));
            }
        }
    }

    private final String name;
    private final Datatype datatype;
    private final long[] shape;
    private final Object values;

    private Tensor(String name, Datatype datatype, long[] shape, Object values) {
        this.name = name;
        this.datatype = datatype;
        this.shape = shape;
        this.values = values;
    }

    public static Tensor bytes(String name, long[] shape, String[] values) {
        return new Tensor(name, Datatype.BYTES, shape, values);
    }

    public static Tensor int64(String name, long[] shape, long[] values) {
        return new Tensor(name, Datatype.INT64, shape, values);
    }

    public static Tensor int32(String name, long[] shape, int[] values) {
        return new Tensor(name, Datatype.INT32, shape, values);
    }

    public static Tensor fp32(String name, long[] shape, float[] values) {
        return new Tensor(name, Datatype.FP32, shape, values);
    }

    /** A tensor of a datatype whose elements the models never read: its shape only. */
    public static Tensor opaque(String name, Datatype datatype, long[] shape) {
        return new Tensor(name, datatype, shape, null);
    }

    public String name() {
        return name;
    }

    public Datatype datatype() {
        return datatype;
    }

    public long[] shape() {
        return shape;
    }

    public String[] strings() {
        return (String[]) values;
    }

    public long[] longs() {
        return (long[]) values;
    }

    public int[] ints() {
        return (int[]) values;
    }

    public float[] floats() {
        return (float[]) values;
    }

    /**
     * The number of elements a shape holds, checked: no negative dimension, and at most {@code Integer.MAX_VALUE}
     * elements; otherwise INVALID_ARGUMENT naming the tensor.
     */
    public static int elements(String tensor, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw ServingException.invalid("tensor '" + tensor + "' has shape " + Arrays.toString(shape)
                        + ": a dimension is negative");
            }
            n = d == 0 ? 0 : n > Integer.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
            if (n > Integer.MAX_VALUE) {
                throw ServingException.invalid("tensor '" + tensor + "' has shape " + Arrays.toString(shape)
                        + ": more elements than a request can carry");
            }
        }
        return (int) n;
    }

    static String quoted(String s) {
        return org.ncf4j.server.error.Ids.quote(s);
    }
}
