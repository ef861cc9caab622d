package org.ncf4j.server.inference;

import java.util.List;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.repository.ModelSnapshot;

/**
 * What the repository's models are through the Open Inference Protocol. Each model M of the repository is two
 * models there:
 * <ul>
 *   <li>{@code M}, scoring: inputs {@code user} and {@code item}, each [-1] (BYTES external ids, or INT64 dense
 *       indices), outputs {@code score} (the probabilities) and {@code logit}, FP32 [-1];</li>
 *   <li>{@code M.topk}, the k best items for each user: input {@code user}, BYTES [-1], and optionally {@code k},
 *       INT32 [1] (or the parameter {@code k}; 10 without either), outputs {@code items}, BYTES [-1, -1], and
 *       {@code scores}, FP32 [-1, -1], best first, seen items excluded unless the parameter
 *       {@code include_seen} is true.</li>
 * </ul>
 * A repository model whose own name ends in {@link #TOPK} is found by that name as a scoring model first.
 */
public final class InferenceModels {
    /** The suffix of a model's top-k form. */
    public static final String TOPK = ".topk";
    /** The platform ModelMetadata names: the bundles' graphs are ONNX models. */
    public static final String PLATFORM = "onnx_onnxv1";

    /** The two forms a model takes. */
    public enum Kind {
        SCORE, TOPK
    }

    /** One input or output as ModelMetadata describes it; an optional input may be left out of a request. */
    public record TensorSpec(String name, Tensor.Datatype datatype, long[] shape, boolean optional) {
        TensorSpec(String name, Tensor.Datatype datatype, long[] shape) {
            this(name, datatype, shape, false);
        }
    }

    /** A protocol model: the repository model behind it, and which form. */
    public record Target(String name, String model, Kind kind) {
        public List<TensorSpec> inputs() {
            return kind == Kind.SCORE ? SCORE_INPUTS : TOPK_INPUTS;
        }

        public List<TensorSpec> outputs() {
            return kind == Kind.SCORE ? SCORE_OUTPUTS : TOPK_OUTPUTS;
        }

        /** The outputs' names, in the model's order. */
        public List<String> outputNames() {
            return kind == Kind.SCORE ? SCORE_OUTPUT_NAMES : TOPK_OUTPUT_NAMES;
        }
    }

    static final String USER = "user";
    static final String ITEM = "item";
    static final String K = "k";
    static final String SCORE = "score";
    static final String LOGIT = "logit";
    static final String ITEMS = "items";
    static final String SCORES = "scores";
    private static final long[] BATCH = {-1};
    private static final long[] BATCH_BY_K = {-1, -1};
    static final List<TensorSpec> SCORE_INPUTS = List.of(new TensorSpec(USER, Tensor.Datatype.BYTES, BATCH),
            new TensorSpec(ITEM, Tensor.Datatype.BYTES, BATCH));
    static final List<TensorSpec> SCORE_OUTPUTS = List.of(new TensorSpec(SCORE, Tensor.Datatype.FP32, BATCH),
            new TensorSpec(LOGIT, Tensor.Datatype.FP32, BATCH));
    static final List<TensorSpec> TOPK_INPUTS = List.of(new TensorSpec(USER, Tensor.Datatype.BYTES, BATCH),
            new TensorSpec(K, Tensor.Datatype.INT32, new long[] {1}, true));
    static final List<TensorSpec> TOPK_OUTPUTS = List.of(new TensorSpec(ITEMS, Tensor.Datatype.BYTES, BATCH_BY_K),
            new TensorSpec(SCORES, Tensor.Datatype.FP32, BATCH_BY_K));
    private static final List<String> SCORE_OUTPUT_NAMES = List.of(SCORE, LOGIT);
    private static final List<String> TOPK_OUTPUT_NAMES = List.of(ITEMS, SCORES);

    private InferenceModels() {
    }

    /** The protocol model a request names, or NOT_FOUND listing what the server has. */
    public static Target resolve(ModelSnapshot snapshot, String name) {
        if (name.isEmpty()) {
            throw ServingException.invalid("the model name is empty: name one of " + names(snapshot));
        }
        if (snapshot.entry(name) != null) {
            return new Target(name, name, Kind.SCORE);
        }
        if (name.endsWith(TOPK)) {
            String model = name.substring(0, name.length() - TOPK.length());
            if (snapshot.entry(model) != null) {
                return new Target(name, model, Kind.TOPK);
            }
        }
        throw ServingException.notFound("unknown model " + Ids.quote(name) + ": the server has "
                + names(snapshot));
    }

    /** Every protocol model of the repository, each model followed by its top-k form. */
    public static List<String> all(ModelSnapshot snapshot) {
        return snapshot.entries().stream().flatMap(e -> java.util.stream.Stream.of(e.name(), e.name() + TOPK))
                .toList();
    }

    private static String names(ModelSnapshot snapshot) {
        return Ids.list(all(snapshot));
    }

    /**
     * A request's version: empty for the one the version policy picks (0), else a positive whole number;
     * anything else names no version (NOT_FOUND).
     */
    public static long version(String model, String version) {
        if (version.isEmpty()) {
            return 0;
        }
        long v = -1;
        if (version.length() <= 18 && version.chars().allMatch(c -> c >= '0' && c <= '9')) {
            v = Long.parseLong(version);
        }
        if (v <= 0) {
            throw ServingException.notFound("model " + Ids.quote(model) + " has no version " + Ids.quote(version)
                    + ": versions are positive whole numbers");
        }
        return v;
    }
}
