package org.ncf4j.server.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.inference.InferenceModels.Kind;
import org.ncf4j.server.inference.InferenceModels.Target;
import org.ncf4j.server.inference.InferenceModels.TensorSpec;
import org.ncf4j.server.model.RefCounted;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.repository.ModelRepository;
import org.ncf4j.server.repository.ModelSnapshot;
import org.ncf4j.server.service.RecommendationService;

/**
 * The Open Inference Protocol's model calls, whatever the transport: readiness, metadata and inference on the
 * models {@link InferenceModels} describes. Inference goes through {@link RecommendationService}, so it validates,
 * batches and answers as {@code ncf.v1} Score and Recommend do; one version answers a request, and the result
 * names it.
 */
public final class InferenceService {
    /**
     * An inference request: the model and version named, the caller's id, its parameters (Boolean, Long, Double
     * or String values), its inputs, and the outputs it asks for (empty: all, in the model's order).
     */
    public record Request(String model, String version, String id, Map<String, Object> parameters,
                          List<Tensor> inputs, List<String> outputs) {
    }

    /** The model and version that answered, and the outputs asked for, in the order asked. */
    public record Result(String model, String version, List<Tensor> outputs) {
    }

    /** What ModelMetadata answers. */
    public record Metadata(String name, List<String> versions, String platform, List<TensorSpec> inputs,
                           List<TensorSpec> outputs) {
    }

    /** The backend a model's configuration names (Triton's model configuration extension). */
    public static final String BACKEND = "ncf4j";

    /** Triton's configuration name of a datatype: TYPE_ and its name, BYTES being TYPE_STRING. */
    public static String configType(Tensor.Datatype t) {
        return t == Tensor.Datatype.BYTES ? "TYPE_STRING" : "TYPE_" + t.name();
    }

    /** k when a top-k request gives neither the input nor the parameter. */
    public static final int DEFAULT_K = 10;
    /** The largest request run on the transport's I/O thread: pairs scored, or k of one user. */
    static final int SMALL = 1024;

    private final ModelRepository repository;
    private final RecommendationService service;

    public InferenceService(ModelRepository repository, RecommendationService service) {
        this.repository = repository;
        this.service = service;
    }

    /** Whether the named model (and version, if one is given) has a version ready; NOT_FOUND if unknown. */
    public boolean ready(String name, String version) {
        Target t = InferenceModels.resolve(repository.snapshot(), name);
        long v = InferenceModels.version(name, version);
        try (RefCounted<ServedModel>.Handle h = repository.acquire(t.model(), v)) {
            return h.get() != null;
        } catch (ServingException e) {
            if (e.error() == ServingError.NOT_FOUND || e.error() == ServingError.UNAVAILABLE) {
                return false;
            }
            throw e;
        }
    }

    /** The model's loaded versions (highest first), inputs and outputs; the version, if given, must be loaded. */
    public Metadata metadata(String name, String version) {
        ModelSnapshot s = repository.snapshot();
        Target t = InferenceModels.resolve(s, name);
        long v = InferenceModels.version(name, version);
        if (v != 0) {
            repository.acquire(t.model(), v).close();
        }
        List<String> versions = s.entry(t.model()).loaded().descendingKeySet().stream().map(String::valueOf)
                .toList();
        return new Metadata(t.name(), versions, InferenceModels.PLATFORM, t.inputs(), t.outputs());
    }

    /** Every model the protocol serves: each repository model and its top-k form. */
    public List<String> models() {
        return InferenceModels.all(repository.snapshot());
    }

    /** Whether a request is small enough to run on the transport's I/O thread (it never blocks then). */
    public boolean runsInline(Request r) {
        Tensor user = r.inputs().stream().filter(t -> t.name().equals(InferenceModels.USER)).findFirst()
                .orElse(null);
        if (user == null || user.shape().length != 1) {
            return true; // refused at once
        }
        long n = user.shape()[0];
        return r.model().endsWith(InferenceModels.TOPK) ? n <= 1 && askedK(r) <= SMALL : n <= SMALL;
    }

    /** The k a top-k request asks for, as far as it can be read before the request is checked (else 0). */
    private static long askedK(Request r) {
        long k = r.parameters().get(TopK.P_K) instanceof Long p ? p : 0;
        for (Tensor t : r.inputs()) {
            if (t.name().equals(InferenceModels.K) && t.shape().length <= 1) {
                if (t.datatype() == Tensor.Datatype.INT32 && t.ints().length > 0) {
                    k = Math.max(k, t.ints()[0]);
                } else if (t.datatype() == Tensor.Datatype.INT64 && t.longs().length > 0) {
                    k = Math.max(k, t.longs()[0]);
                }
            }
        }
        return k;
    }

    /**
     * Runs a request. Problems with the request are thrown at once; the result comes in the future. A top-k request
     * for several users blocks: call it off the I/O threads ({@link #runsInline}).
     */
    public CompletableFuture<Result> infer(Request r, long timeoutNanos) {
        ModelSnapshot s = repository.snapshot();
        Target t = InferenceModels.resolve(s, r.model());
        long version = InferenceModels.version(r.model(), r.version());
        s.find(t.model(), version); // an unknown version is NOT_FOUND whatever the inputs
        Map<String, Tensor> in = inputs(t, r.inputs());
        List<String> wanted = outputs(t, r.outputs());
        return t.kind() == Kind.SCORE ? score(t, version, in, wanted, timeoutNanos)
                : TopK.run(service, t, version, in, r.parameters(), wanted, timeoutNanos);
    }

    private CompletableFuture<Result> score(Target t, long version, Map<String, Tensor> in, List<String> wanted,
                                            long timeoutNanos) {
        Tensor user = required(t, in, InferenceModels.USER);
        Tensor item = required(t, in, InferenceModels.ITEM);
        vector(user);
        vector(item);
        if (user.datatype() != item.datatype()) {
            throw ServingException.invalid("inputs 'user' and 'item' of model " + Ids.quote(t.name()) + " have "
                    + "datatypes " + user.datatype() + " and " + item.datatype() + ": give both as BYTES (ids) or "
                    + "both as INT64 (dense indices)");
        }
        CompletableFuture<RecommendationService.Scores> scores = switch (user.datatype()) {
            case BYTES -> service.score(t.model(), version, Arrays.asList(user.strings()),
                    Arrays.asList(item.strings()), timeoutNanos);
            case INT64 -> service.scoreIndices(t.model(), version, user.longs(), item.longs(), timeoutNanos);
            default -> throw datatype(t, user, "BYTES (ids) or INT64 (dense indices)");
        };
        return scores.thenApply(s -> {
            long[] shape = {s.scores().length};
            List<Tensor> out = new ArrayList<>(wanted.size());
            for (String name : wanted) {
                out.add(Tensor.fp32(name, shape, name.equals(InferenceModels.SCORE) ? s.scores() : s.logits()));
            }
            return new Result(t.name(), String.valueOf(s.version()), out);
        });
    }

    /** The request's inputs by name: each one the model has, at most once. */
    private static Map<String, Tensor> inputs(Target t, List<Tensor> given) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (Tensor x : given) {
            if (t.inputs().stream().noneMatch(s -> s.name().equals(x.name()))) {
                throw ServingException.invalid("model " + Ids.quote(t.name()) + " has no input "
                        + Ids.quote(x.name()) + "; its inputs are " + names(t.inputs()));
            }
            if (in.put(x.name(), x) != null) {
                throw ServingException.invalid("input " + Ids.quote(x.name()) + " is given twice");
            }
        }
        return in;
    }

    /** The outputs asked for, in the order asked; all of the model's when none is named. */
    private static List<String> outputs(Target t, List<String> asked) {
        if (asked.isEmpty()) {
            return t.outputNames();
        }
        Set<String> seen = new HashSet<>();
        for (String name : asked) {
            if (!t.outputNames().contains(name)) {
                throw ServingException.invalid("model " + Ids.quote(t.name()) + " has no output " + Ids.quote(name)
                        + "; its outputs are " + names(t.outputs()));
            }
            if (!seen.add(name)) {
                throw ServingException.invalid("output " + Ids.quote(name) + " is asked for twice");
            }
        }
        return asked;
    }

    static Tensor required(Target t, Map<String, Tensor> in, String name) {
        Tensor x = in.get(name);
        if (x == null) {
            throw ServingException.invalid("model " + Ids.quote(t.name()) + " needs input '" + name + "'; its "
                    + "inputs are " + names(t.inputs()));
        }
        return x;
    }

    /** A batch of ids: shape [n]. */
    static void vector(Tensor x) {
        if (x.shape().length != 1) {
            throw ServingException.invalid("input '" + x.name() + "' has shape " + Arrays.toString(x.shape())
                    + ": expected [-1], one element per row of the batch");
        }
    }

    static ServingException datatype(Target t, Tensor x, String expected) {
        return ServingException.invalid("input '" + x.name() + "' of model " + Ids.quote(t.name()) + " has datatype "
                + x.datatype() + ": expected " + expected);
    }

    private static String names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList().toString();
    }
}
