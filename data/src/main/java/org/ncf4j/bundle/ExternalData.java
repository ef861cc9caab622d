package org.ncf4j.bundle;

import java.util.HashMap;
import java.util.Map;
import org.ncf4j.onnx.OnnxProto.StringStringEntryProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/**
 * Where an initializer stored as ONNX external data keeps its bytes: its entries {@link WeightsFile#LOCATION},
 * {@link WeightsFile#OFFSET} and {@link WeightsFile#LENGTH}, read as ONNX reads them (no offset: 0; no length: the
 * bytes its dims hold as float32, the only type a bundle stores there).
 *
 * @param location the file, relative to the graph's, or null when the entry is missing
 * @param offset where the bytes start in it
 * @param length how many bytes
 */
public record ExternalData(String location, long offset, long length) {
    /**
     * @param what the initializer, for messages
     * @throws BundleException when the offset or length is not a number or the dims are negative
     */
    public static ExternalData of(TensorProto t, String what) {
        Map<String, String> info = new HashMap<>();
        for (StringStringEntryProto e : t.getExternalDataList()) {
            info.put(e.getKey(), e.getValue());
        }
        return new ExternalData(info.get(WeightsFile.LOCATION), number(what, info, WeightsFile.OFFSET, 0),
                number(what, info, WeightsFile.LENGTH, floatBytes(t, what)));
    }

    /**
     * The bytes {@code t}'s dims hold as float32.
     *
     * @throws BundleException when a dim is negative
     */
    public static long floatBytes(TensorProto t, String what) {
        long count = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                throw new BundleException(what + " has dims " + t.getDimsList());
            }
            count = Math.multiplyExact(count, d);
        }
        return 4 * count;
    }

    private static long number(String what, Map<String, String> info, String key, long absent) {
        String v = info.get(key);
        if (v == null) {
            return absent;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BundleException(what + " has external data " + key + " '" + v + "', not a number", e);
        }
    }
}
