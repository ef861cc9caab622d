package org.ncf4j.server.grpc;

import static org.ncf4j.server.grpc.Calls.DIRECT;
import static org.ncf4j.server.grpc.Calls.answer;
import static org.ncf4j.server.grpc.Calls.timeoutNanos;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ncf4j.api.v1.ListModelsRequest;
import org.ncf4j.api.v1.ListModelsResponse;
import org.ncf4j.api.v1.ModelInfo;
import org.ncf4j.api.v1.ModelInfoRequest;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.ModelVersions;
import org.ncf4j.api.v1.Ranking;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendBatchResponse;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ReloadRequest;
import org.ncf4j.api.v1.ReloadResponse;
import org.ncf4j.api.v1.RetrievalInfo;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;
import org.ncf4j.api.v1.ScoredItem;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.retrieval.Retrieval;
import org.ncf4j.server.service.ModelAdminService;
import org.ncf4j.server.service.RecommendationService;

/**
 * Translates {@code ncf.v1.Recommender} messages to the services and back; failures become statuses through
 * {@link Statuses}. Nothing else happens here.
 *
 * <p>Calls arrive on the transport's I/O threads (see {@link ServerBuilderSettings}), which must never block: a
 * small Recommend or Score goes straight to the model's batcher, which runs it on that thread when the model is
 * idle, and a small RecommendBatch queues its users from there; what can take long (large Score requests, candidate
 * lists, large batches of users, model info, listing, reloading) moves to the {@code io} executor first.
 */
public final class RecommenderEndpoint extends RecommenderGrpc.RecommenderImplBase {
    /** Score requests up to this many pairs are handled on the I/O thread. */
    static final int SMALL_SCORE_PAIRS = 1024;
    /** Recommend requests with at most this many exclusions and items asked for are handled on the I/O thread. */
    static final int SMALL_LIST = 1024;
    /** RecommendBatch requests of at most this many such requests are handled on the I/O thread. */
    static final int SMALL_BATCH = 64;

    private final RecommendationService service;
    private final ModelAdminService admin;
    private final Executor blocking;

    public RecommenderEndpoint(RecommendationService service, ModelAdminService admin, Executor blocking) {
        this.service = service;
        this.admin = admin;
        this.blocking = blocking;
    }

    @Override
    public void score(ScoreRequest request, StreamObserver<ScoreResponse> out) {
        Executor where = request.getUsersCount() <= SMALL_SCORE_PAIRS ? DIRECT : blocking;
        answer("Score", out, where, () -> service.score(request.getModel().getName(),
                request.getModel().getVersion(), request.getUsersList(), request.getItemsList(), timeoutNanos())
                .thenApply(s -> {
                    ScoreResponse.Builder b = ScoreResponse.newBuilder().setModel(spec(s.model(), s.version()));
                    for (float f : s.scores()) {
                        b.addScores(f);
                    }
                    for (float f : s.logits()) {
                        b.addLogits(f);
                    }
                    return b.build();
                }));
    }

    @Override
    public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> out) {
        answer("Recommend", out, small(request) ? DIRECT : blocking, () -> service.recommend(
                request.getModel().getName(), request.getModel().getVersion(), query(request), timeoutNanos())
                .thenApply(RecommenderEndpoint::response));
    }

    @Override
    public void recommendBatch(RecommendBatchRequest request, StreamObserver<RecommendBatchResponse> out) {
        boolean small = request.getRequestsCount() <= SMALL_BATCH
                && request.getRequestsList().stream().allMatch(RecommenderEndpoint::small);
        answer("RecommendBatch", out, small ? DIRECT : blocking, () -> {
            List<RecommendationService.BatchItem> items = request.getRequestsList().stream()
                    .map(r -> new RecommendationService.BatchItem(r.getModel().getName(), r.getModel().getVersion(),
                            query(r))).toList();
            return service.recommendBatch(items, timeoutNanos()).thenApply(recs -> {
                RecommendBatchResponse.Builder b = RecommendBatchResponse.newBuilder();
                recs.forEach(rec -> b.addResponses(response(rec)));
                return b.build();
            });
        });
    }

    /** A Recommend request whose checks take little time: no candidate list, short exclusions, a small k. */
    private static boolean small(RecommendRequest r) {
        return r.getCandidatesCount() == 0 && r.getExcludeCount() <= SMALL_LIST && r.getK() <= SMALL_LIST;
    }

    private static RecommendationService.Query query(RecommendRequest r) {
        return new RecommendationService.Query(r.getUser(), r.getK(), r.getIncludeSeen(), r.getCandidatesList(),
                r.getExcludeList(), ranking(r.getRankingValue()), r.getRetrievalCandidates());
    }

    /** A request's ranking by its number: a newer client's value this server does not know is refused. */
    private static RecommendationService.Ranking ranking(int value) {
        return switch (value) {
            case Ranking.RANKING_EXACT_VALUE -> RecommendationService.Ranking.EXACT;
            case Ranking.RANKING_RETRIEVAL_VALUE -> RecommendationService.Ranking.RETRIEVAL;
            case Ranking.RANKING_DEFAULT_VALUE -> RecommendationService.Ranking.DEFAULT;
            default -> throw ServingException.invalid("unknown ranking " + value + ": expected RANKING_DEFAULT (0), "
                    + "RANKING_EXACT (1) or RANKING_RETRIEVAL (2)");
        };
    }

    private static RecommendResponse response(RecommendationService.Recommendation rec) {
        RecommendResponse.Builder b = RecommendResponse.newBuilder().setModel(spec(rec.model(), rec.version()))
                .setPopularityFallback(rec.popularityFallback())
                .setRankedBy(rec.popularityFallback() ? Ranking.RANKING_DEFAULT : rec.retrieved()
                        ? Ranking.RANKING_RETRIEVAL : Ranking.RANKING_EXACT);
        for (int i = 0; i < rec.items().size(); i++) {
            b.addItems(ScoredItem.newBuilder().setItem(rec.items().get(i)).setScore(rec.scores().get(i)));
        }
        return b.build();
    }

    @Override
    public void getModelInfo(ModelInfoRequest request, StreamObserver<ModelInfo> out) {
        answer("GetModelInfo", out, blocking, () -> CompletableFuture.completedFuture(info(admin.describe(
                request.getModel().getName(), request.getModel().getVersion()))));
    }

    private static ModelInfo info(ModelAdminService.Description d) {
        BundleCard card = d.card();
        ModelInfo.Builder b = ModelInfo.newBuilder().setModel(spec(d.name(), d.version()))
                .setVariant(card.variant()).setFactor(card.factor()).addAllLayers(card.layers())
                .setNumUsers(card.numUsers()).setNumItems(card.numItems()).setExecutionProvider(d.provider())
                .setDataset(String.valueOf(card.dataset().getOrDefault("name", ""))).setCreatedAt(card.createdAt())
                .setReady(true).setLastError(d.lastError()).setRetrieval(retrieval(d.retrieval()));
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
        return b.build();
    }

    private static RetrievalInfo retrieval(Retrieval r) {
        return RetrievalInfo.newBuilder().setAvailable(r.available()).setByDefault(r.byDefault())
                .setCandidates(r.candidates()).setIndex(r.description()).setBuildMillis(r.buildMillis()).build();
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> out) {
        answer("ListModels", out, blocking, () -> CompletableFuture.completedFuture(ListModelsResponse.newBuilder()
                .addAllModels(versions(admin.list())).build()));
    }

    @Override
    public void reload(ReloadRequest request, StreamObserver<ReloadResponse> out) {
        answer("Reload", out, blocking, () -> CompletableFuture.completedFuture(ReloadResponse.newBuilder()
                .addAllModels(versions(admin.reload(request.getName()))).build()));
    }

    private static List<ModelVersions> versions(List<ModelAdminService.Listing> all) {
        return all.stream().map(v -> ModelVersions.newBuilder().setName(v.name()).addAllLoaded(v.loaded())
                .putAllFailed(v.failed()).addAllAvailable(v.available()).setError(v.error()).build()).toList();
    }

    private static ModelSpec spec(String name, long version) {
        return ModelSpec.newBuilder().setName(name).setVersion(version).build();
    }
}
