package org.ncf4j.cli;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ncf4j.api.inference.InferParameter;
import org.ncf4j.api.inference.InferTensorContents;
import org.ncf4j.api.inference.ModelInferRequest;
import org.ncf4j.api.inference.ModelInferRequest.InferInputTensor;

/**
 * ModelInfer requests of the Open Inference Protocol as its clients send them (docs/inference-protocol.md): raw,
 * as tritonclient does (BYTES as 4-byte little-endian lengths and bytes), or typed.
 */
final class InferRequests {
    private InferRequests() {
    }

    /** Scores of (user, item) pairs from model {@code name}'s scoring form. */
    static ModelInferRequest score(String name, String version, List<String> users, List<String> items, boolean raw) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(name).setModelVersion(version);
        add(b, "user", users, raw);
        add(b, "item", items, raw);
        return b.build();
    }

    /**
     * The k best items of each user from model {@code name}'s top-k form ({@code name}.topk), seen items excluded,
     * ranked as {@code ranking} says ("default", "exact", "retrieval") with retrieval's C ({@code candidates}, 0:
     * the server's).
     */
    static ModelInferRequest topK(String name, String version, List<String> users, int k, String ranking,
                                  int candidates, boolean raw) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(name + ".topk")
                .setModelVersion(version).putParameters("k", InferParameter.newBuilder().setInt64Param(k).build());
        if (!ranking.equals("default")) {
            b.putParameters("ranking", InferParameter.newBuilder().setStringParam(ranking).build());
        }
        if (candidates > 0) {
            b.putParameters("retrieval_candidates", InferParameter.newBuilder().setInt64Param(candidates).build());
        }
        add(b, "user", users, raw);
        return b.build();
    }

    private static void add(ModelInferRequest.Builder b, String name, List<String> values, boolean raw) {
        InferInputTensor.Builder t = InferInputTensor.newBuilder().setName(name).setDatatype("BYTES")
                .addShape(values.size());
        if (raw) {
            b.addRawInputContents(raw(values));
        } else {
            InferTensorContents.Builder c = InferTensorContents.newBuilder();
            values.forEach(v -> c.addBytesContents(ByteString.copyFromUtf8(v)));
            t.setContents(c);
        }
        b.addInputs(t);
    }

    /** BYTES elements in the raw form: a 4-byte little-endian length, then the bytes, for each. */
    static ByteString raw(List<String> values) {
        byte[][] parts = new byte[values.size()][];
        int size = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            size += 4 + parts[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] p : parts) {
            out.putInt(p.length).put(p);
        }
        return ByteString.copyFrom(out.array());
    }
}
