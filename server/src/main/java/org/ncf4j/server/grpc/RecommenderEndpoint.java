package org.ncf4j.server.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.ncf4j.api.v1.ListModelsRequest;
import org.ncf4j.api.v1.ListModelsResponse;
import org.ncf4j.api.v1.ModelInfo;
import org.ncf4j.api.v1.ModelInfoRequest;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.ModelVersions;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendBatchResponse;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ReloadRequest;
import org.ncf4j.api.v1.ReloadResponse;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;
import org.ncf4j.api.v1.ScoredItem;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.server.inference.OnnxModel;
import org.ncf4j.server.metrics.ServingMetrics;
import org.ncf4j.server.repository.ModelRepository;
import org.ncf4j.server.service.RecommendationService;
import org.ncf4j.server.service.ServingException;

/**
 * Translates {@code ncf.v1.Recommender} messages to the service and back; errors become gRPC statuses.
 *
 * <p>Calls arrive on the transport's I/O threads (the server runs handlers directly, see
 * {@link DirectExecutorConfig}), and nothing here may block them: a small Recommend or Score is validated there
 * and handed to the model's batcher, which runs it at once when the model is idle or completes it later from a
 * batch worker; everything that can take long (large Score requests, candidate lists, batches of users, model
 * info, listing, reloading) moves to the {@code io} executor first. {@link ServicesFactory} registers it.
 */
public class RecommenderEndpoint extends RecommenderGrpc.RecommenderImplBase {
    /** Score requests up to this many pairs are mapped to indices on the I/O thread. */
    static final int SMALL_SCORE_PAIRS = 1024;
    /** Recommend requests with at most this many exclusions and items asked for are served from the I/O thread. */
    static final int SMALL_LIST = 1024;
    /** Runs a call in the thread that received it (an I/O thread), already in the call's context. */
    private static final Executor DIRECT = Runnable::run;

    private final RecommendationService service;
    private final ModelRepository repository;
    private final ServingMetrics metrics;
    private final Executor blocking;

    public RecommenderEndpoint(RecommendationService service, ModelRepository repository, ServingMetrics metrics,
                               Executor blocking) {
        this.service = service;
        this.repository = repository;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    @Override
    public void score(ScoreRequest request, StreamObserver<ScoreResponse> out) {
        Executor where = request.getUsersCount() <= SMALL_SCORE_PAIRS ? DIRECT : blocking;
        answer("Score", out, where, () -> service.score(request.getModel().getName(),
                request.getModel().getVersion(), request.getUsersList(), request.getItemsList()).thenApply(s -> {
                    ScoreResponse.Builder b = ScoreResponse.newBuilder().setModel(spec(s.model(), s.version()));
                    for (float f : s.scores()) {
                        b.addScores(f);
                    }
                    return b.build();
                }));
    }

    @Override
    public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> out) {
        boolean small = request.getCandidatesCount() == 0 && request.getExcludeCount() <= SMALL_LIST
                && request.getK() <= SMALL_LIST;
        answer("Recommend", out, small ? DIRECT : blocking, () -> recommend(request, request.getModel()));
    }

    @Override
    public void recommendBatch(RecommendBatchRequest request, StreamObserver<RecommendBatchResponse> out) {
        answer("RecommendBatch", out, blocking, () -> {
            if (request.getRequestsCount() == 0) {
                throw new ServingException(Status.Code.INVALID_ARGUMENT, "the batch is empty");
            }
            ModelSpec model = request.getRequests(0).getModel();
            RecommendBatchResponse.Builder b = RecommendBatchResponse.newBuilder();
            service.recommendAll(model.getName(), model.getVersion(), request.getRequestsList().stream()
                    .map(RecommenderEndpoint::query).toList()).forEach(rec -> b.addResponses(response(rec)));
            return CompletableFuture.completedFuture(b.build());
        });
    }

    private CompletableFuture<RecommendResponse> recommend(RecommendRequest r, ModelSpec model) {
        return service.recommend(model.getName(), model.getVersion(), query(r))
                .thenApply(RecommenderEndpoint::response);
    }

    private static RecommendationService.Query query(RecommendRequest r) {
        return new RecommendationService.Query(r.getUser(), r.getK(), r.getIncludeSeen(), r.getCandidatesList(),
                r.getExcludeList());
    }

    private static RecommendResponse response(RecommendationService.Recommendation rec) {
        RecommendResponse.Builder b = RecommendResponse.newBuilder().setModel(spec(rec.model(), rec.version()))
                .setPopularityFallback(rec.popularityFallback());
        for (int i = 0; i < rec.items().size(); i++) {
            b.addItems(ScoredItem.newBuilder().setItem(rec.items().get(i)).setScore(rec.scores().get(i)));
        }
        return b.build();
    }

    @Override
    public void getModelInfo(ModelInfoRequest request, StreamObserver<ModelInfo> out) {
        answer("GetModelInfo", out, blocking, () -> CompletableFuture.completedFuture(modelInfo(request)));
    }

    private ModelInfo modelInfo(ModelInfoRequest request) {
        try (ModelRepository.Lease lease = repository.acquire(request.getModel().getName(),
                request.getModel().getVersion())) {
            OnnxModel m = lease.model();
            BundleCard card = m.bundle().card();
            ModelInfo.Builder b = ModelInfo.newBuilder().setModel(spec(m.name(), m.version()))
                    .setVariant(card.variant()).setFactor(card.factor()).addAllLayers(card.layers())
                    .setNumUsers(card.numUsers()).setNumItems(card.numItems())
                    .setExecutionProvider(m.provider()).setDataset(card.dataset().getOrDefault("name", ""))
                    .setCreatedAt(card.createdAt()).setReady(true);
            for (Map.Entry<String, Object> e : card.metrics().entrySet()) {
                if (e.getValue() instanceof Number n) {
                    b.putMetrics(e.getKey(), n.doubleValue());
                } else if (e.getValue() instanceof Map<?, ?> nested) {
                    nested.forEach((k, v) -> {
                        if (v instanceof Number n) {
                            b.putMetrics(e.getKey() + "." + k, n.doubleValue());
                        }
                    });
                }
            }
            repository.snapshot().stream().filter(v -> v.name().equals(m.name())).findFirst()
                    .flatMap(v -> v.failed().entrySet().stream().reduce((a, c) -> c))
                    .ifPresent(f -> b.setLastError("version " + f.getKey() + ": " + f.getValue()));
            return b.build();
        }
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
        answer("ListModels", out, blocking, () -> CompletableFuture.completedFuture(ListModelsResponse.newBuilder()
                .addAllModels(versions(repository.snapshot())).build()));
    }

    @Override
    public void reload(ReloadRequest request, StreamObserver<ReloadResponse> out) {
        answer("Reload", out, blocking, () -> CompletableFuture.completedFuture(ReloadResponse.newBuilder()
                .addAllModels(versions(repository.scan(request.getName().isEmpty() ? null : request.getName())))
                .build()));
    }

    private static List<ModelVersions> versions(List<ModelRepository.Versions> all) {
        return all.stream().map(v -> ModelVersions.newBuilder().setName(v.name())
                .addAllLoaded(v.loaded().descendingKeySet()).putAllFailed(v.failed()).build()).toList();
    }

    private static ModelSpec spec(String name, long version) {
        return ModelSpec.newBuilder().setName(name).setVersion(version).build();
    }

    /**
     * Runs the call on {@code where} (in the call's gRPC context) unless the deadline has passed, answers when its
     * future completes, and turns failures into statuses (never UNKNOWN).
     */
    private <T> void answer(String rpc, StreamObserver<T> out, Executor where,
                            Supplier<CompletableFuture<T>> call) {
        long t0 = System.nanoTime();
        Runnable body = () -> {
            CompletableFuture<T> response;
            try {
                if (Context.current().getDeadline() != null && Context.current().getDeadline().isExpired()) {
                    throw new ServingException(Status.Code.DEADLINE_EXCEEDED, "the call's deadline passed before "
                            + "it was served");
                }
                response = call.get();
            } catch (Throwable e) {
                response = CompletableFuture.failedFuture(e);
            }
            response.whenComplete((r, e) -> finish(rpc, out, t0, r, e));
        };
        try {
            where.execute(where == DIRECT ? body : Context.current().wrap(body));
        } catch (RejectedExecutionException e) {
            finish(rpc, out, t0, null, new ServingException(Status.Code.UNAVAILABLE, "the server is shutting down"));
        }
    }

    private <T> void finish(String rpc, StreamObserver<T> out, long t0, T response, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String status = "OK";
        if (e == null) {
            out.onNext(response);
            out.onCompleted();
        } else if (e instanceof ServingException s) {
            status = s.code().name();
            out.onError(s.status().asRuntimeException());
        } else {
            status = Status.Code.INTERNAL.name();
            out.onError(Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException());
        }
        metrics.call(rpc, status, System.nanoTime() - t0);
    }
}
