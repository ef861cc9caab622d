package org.ncf4j.server.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.util.Map;
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

/** Translates {@code ncf.v1.Recommender} messages to the service and back; errors become gRPC statuses. */
@Singleton
public class RecommenderEndpoint extends RecommenderGrpc.RecommenderImplBase {
    private final RecommendationService service;
    private final ModelRepository repository;
    private final ServingMetrics metrics;

    public RecommenderEndpoint(RecommendationService service, ModelRepository repository, ServingMetrics metrics) {
        this.service = service;
        this.repository = repository;
        this.metrics = metrics;
    }

    @Override
    public void score(ScoreRequest request, StreamObserver<ScoreResponse> out) {
        answer("Score", out, () -> {
            RecommendationService.Scores s = service.score(request.getModel().getName(),
                    request.getModel().getVersion(), request.getUsersList(), request.getItemsList());
            ScoreResponse.Builder b = ScoreResponse.newBuilder().setModel(spec(s.model(), s.version()));
            for (float f : s.scores()) {
                b.addScores(f);
            }
            return b.build();
        });
    }

    @Override
    public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> out) {
        answer("Recommend", out, () -> recommend(request, request.getModel()));
    }

    @Override
    public void recommendBatch(RecommendBatchRequest request, StreamObserver<RecommendBatchResponse> out) {
        answer("RecommendBatch", out, () -> {
            if (request.getRequestsCount() == 0) {
                throw new ServingException(Status.Code.INVALID_ARGUMENT, "the batch is empty");
            }
            ModelSpec model = request.getRequests(0).getModel();
            RecommendBatchResponse.Builder b = RecommendBatchResponse.newBuilder();
            for (RecommendRequest r : request.getRequestsList()) {
                b.addResponses(recommend(r, model));
            }
            return b.build();
        });
    }

    private RecommendResponse recommend(RecommendRequest r, ModelSpec model) {
        RecommendationService.Recommendation rec = service.recommend(model.getName(), model.getVersion(),
                new RecommendationService.Query(r.getUser(), r.getK(), r.getIncludeSeen(), r.getCandidatesList(),
                        r.getExcludeList()));
        RecommendResponse.Builder b = RecommendResponse.newBuilder().setModel(spec(rec.model(), rec.version()))
                .setPopularityFallback(rec.popularityFallback());
        for (int i = 0; i < rec.items().size(); i++) {
            b.addItems(ScoredItem.newBuilder().setItem(rec.items().get(i)).setScore(rec.scores().get(i)));
        }
        return b.build();
    }

    @Override
    public void getModelInfo(ModelInfoRequest request, StreamObserver<ModelInfo> out) {
        answer("GetModelInfo", out, () -> {
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
        });
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
        answer("ListModels", out, () -> ListModelsResponse.newBuilder().addAllModels(versions(repository.snapshot())).build());
    }

    @Override
    public void reload(ReloadRequest request, StreamObserver<ReloadResponse> out) {
        answer("Reload", out, () -> ReloadResponse.newBuilder().addAllModels(versions(
                repository.scan(request.getName().isEmpty() ? null : request.getName()))).build());
    }

    private static java.util.List<ModelVersions> versions(java.util.List<ModelRepository.Versions> all) {
        return all.stream().map(v -> ModelVersions.newBuilder().setName(v.name())
                .addAllLoaded(v.loaded().descendingKeySet()).putAllFailed(v.failed()).build()).toList();
    }

    private static ModelSpec spec(String name, long version) {
        return ModelSpec.newBuilder().setName(name).setVersion(version).build();
    }

    /** Runs the call unless the deadline has passed, and turns failures into statuses (never UNKNOWN). */
    private <T> void answer(String rpc, StreamObserver<T> out, Supplier<T> call) {
        long t0 = System.nanoTime();
        String status = "OK";
        try {
            if (Context.current().getDeadline() != null && Context.current().getDeadline().isExpired()) {
                throw new ServingException(Status.Code.DEADLINE_EXCEEDED, "the call's deadline passed before it "
                        + "was served");
            }
            T response = call.get();
            out.onNext(response);
            out.onCompleted();
        } catch (ServingException e) {
            status = e.code().name();
            out.onError(e.status().asRuntimeException());
        } catch (RuntimeException e) {
            status = Status.Code.INTERNAL.name();
            out.onError(Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException());
        } finally {
            metrics.call(rpc, status, System.nanoTime() - t0);
        }
    }
}
