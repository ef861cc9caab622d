package org.ncf4j.bundle;

/**
 * Float values read a block at a time, from wherever they live (an array, a runtime's tensor, a mapped file), so
 * that a table of any size can be written into a bundle without a copy of it in the heap.
 */
public interface FloatSource {
    /** Number of values. */
    long size();

    /** Copies values {@code [from, from + n)} into {@code into[at ..]}. */
    void read(long from, float[] into, int at, int n);

    /** The values of an array (read where they are). */
    static FloatSource of(float[] values) {
        return new ArraySource(values);
    }

    /** A source over an array: two sources over the same array are equal. */
    record ArraySource(float[] values) implements FloatSource {
        @Override
        public long size() {
            return values.length;
        }

        @Override
        public void read(long from, float[] into, int at, int n) {
            System.arraycopy(values, Math.toIntExact(from), into, at, n);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ArraySource a && a.values == values;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(values);
        }
    }
}
