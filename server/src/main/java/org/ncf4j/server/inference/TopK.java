package org.ncf4j.server.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.inference.InferenceModels.Target;
import org.ncf4j.server.service.RecommendationService;
import org.ncf4j.server.service.RecommendationService.Query;
import org.ncf4j.server.service.RecommendationService.Ranking;
import org.ncf4j.server.service.RecommendationService.Recommendation;

/**
 * Inference on a model's top-k form: the k best items for each user of the batch, as {@code ncf.v1} Recommend
 * ranks them (one user) or RecommendBatch (several, queued together). Parameters: {@code k} (int64, when the input
 * is not given), {@code include_seen} (bool), {@code ranking} ("default", "exact" or "retrieval") and
 * {@code retrieval_candidates} (int64); other parameters are ignored, as other servers' parameters must be. A row
 * with fewer than k items (the exclusions left fewer) is padded with empty ids scored 0.
 */
final class TopK {
    static final String P_K = "k";
    static final String P_INCLUDE_SEEN = "include_seen";
    static final String P_RANKING = "ranking";
    static final String P_CANDIDATES = "retrieval_candidates";

    private TopK() {
    }

    static CompletableFuture<InferenceService.Result> run(RecommendationService service, Target t, long version,
                                                          Map<String, Tensor> in, Map<String, Object> params,
                                                          List<String> wanted, long timeoutNanos) {
        Tensor user = InferenceService.required(t, in, InferenceModels.USER);
        InferenceService.vector(user);
        if (user.datatype() != Tensor.Datatype.BYTES) {
            throw InferenceService.datatype(t, user, "BYTES (user ids)");
        }
        int k = k(t, in.get(InferenceModels.K), params);
        boolean includeSeen = Boolean.TRUE.equals(param(params, P_INCLUDE_SEEN, Boolean.class, "bool"));
        Ranking ranking = ranking(param(params, P_RANKING, String.class, "string"));
        Long c = param(params, P_CANDIDATES, Long.class, "int64");
        if (c != null && (c < 0 || c > Integer.MAX_VALUE)) {
            throw ServingException.invalid("parameter '" + P_CANDIDATES + "' is " + c + ": expected 0 (the model's) "
                    + "or a positive number of candidates");
        }
        int retrieve = c == null ? 0 : c.intValue();
        String[] users = user.strings();
        if (users.length == 0) {
            throw ServingException.invalid("input 'user' is empty: give at least one user");
        }
        if (users.length == 1) {
            Query q = new Query(users[0], k, includeSeen, List.of(), List.of(), ranking, retrieve);
            return service.recommend(t.model(), version, q, timeoutNanos)
                    .thenApply(r -> result(t, List.of(r), k, wanted));
        }
        List<RecommendationService.BatchItem> batch = new ArrayList<>(users.length);
        for (String u : users) {
            batch.add(new RecommendationService.BatchItem(t.model(), version, new Query(u, k, includeSeen, List.of(),
                    List.of(), ranking, retrieve)));
        }
        return service.recommendBatch(batch, timeoutNanos).thenApply(r -> result(t, r, k, wanted));
    }

    /** k from the input (INT32 or INT64, one element) or the parameter; both must agree; 10 without either. */
    private static int k(Target t, Tensor input, Map<String, Object> params) {
        Long p = param(params, P_K, Long.class, "int64");
        Long fromInput = null;
        if (input != null) {
            if (Tensor.elements(input.name(), input.shape()) != 1) {
                throw ServingException.invalid("input 'k' has shape " + Arrays.toString(input.shape())
                        + ": expected [1]");
            }
            fromInput = switch (input.datatype()) {
                case INT32 -> (long) input.ints()[0];
                case INT64 -> input.longs()[0];
                default -> throw InferenceService.datatype(t, input, "INT32 (or INT64)");
            };
        }
        if (p != null && fromInput != null && !p.equals(fromInput)) {
            throw ServingException.invalid("input 'k' is " + fromInput + " and parameter 'k' is " + p
                    + ": give one");
        }
        long k = fromInput != null ? fromInput : p != null ? p : InferenceService.DEFAULT_K;
        if (k < 1 || k > Integer.MAX_VALUE) {
            throw ServingException.invalid("k must be at least 1, got " + k);
        }
        return (int) k;
    }

    private static Ranking ranking(String value) {
        if (value == null) {
            return Ranking.DEFAULT;
        }
        return switch (value) {
            case "default" -> Ranking.DEFAULT;
            case "exact" -> Ranking.EXACT;
            case "retrieval" -> Ranking.RETRIEVAL;
            default -> throw ServingException.invalid("parameter '" + P_RANKING + "' is " + Ids.quote(value)
                    + ": expected \"default\", \"exact\" or \"retrieval\"");
        };
    }

    /** A parameter's value of the expected type, null when absent, else INVALID_ARGUMENT. */
    static <T> T param(Map<String, Object> params, String name, Class<T> type, String protocolType) {
        Object v = params.get(name);
        if (v == null) {
            return null;
        }
        if (!type.isInstance(v)) {
            throw ServingException.invalid("parameter '" + name + "' must be a " + protocolType + ", got "
                    + Ids.quote(String.valueOf(v)));
        }
        return type.cast(v);
    }

    /** The rows as [B, k] tensors, padded where a row has fewer than k items (never more). */
    private static InferenceService.Result result(Target t, List<Recommendation> rows, int k, List<String> wanted) {
        int width = k;
        String[] items = new String[rows.size() * width];
        float[] scores = new float[items.length];
        Arrays.fill(items, "");
        for (int b = 0; b < rows.size(); b++) {
            Recommendation r = rows.get(b);
            for (int j = 0; j < r.items().size(); j++) {
                items[b * width + j] = r.items().get(j);
                scores[b * width + j] = r.scores().get(j);
            }
        }
        long[] shape = {rows.size(), width};
        List<Tensor> out = new ArrayList<>(wanted.size());
        for (String name : wanted) {
            out.add(name.equals(InferenceModels.ITEMS) ? Tensor.bytes(name, shape, items)
                    : Tensor.fp32(name, shape, scores));
        }
        return new InferenceService.Result(t.name(), String.valueOf(rows.get(0).version()), out);
    }
}
