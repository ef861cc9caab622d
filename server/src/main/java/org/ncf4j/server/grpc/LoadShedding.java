package org.ncf4j.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;
import java.util.function.Function;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.service.EarlyRefusal;

/**
 * Refuses a model call with RESOURCE_EXHAUSTED when it starts, before its message is read, when no model version
 * could take it now ({@link EarlyRefusal}); the message names the limit and says to retry. Only the calls that
 * queue model work are looked at: health, metadata, listing and admin calls always pass.
 */
final class LoadShedding implements ServerInterceptor {
    static final Map<String, EarlyRefusal.Work> WORK = Map.of(
            "ncf.v1.Recommender/Score", EarlyRefusal.Work.SCORE,
            "ncf.v1.Recommender/Recommend", EarlyRefusal.Work.RANK,
            "ncf.v1.Recommender/RecommendBatch", EarlyRefusal.Work.RANK,
            "inference.GRPCInferenceService/ModelInfer", EarlyRefusal.Work.EITHER);

    private final Function<EarlyRefusal.Work, ServingException> refusal;

    /** @param refusal why a call asking for that work would be refused now, or null ({@link EarlyRefusal#check}) */
    LoadShedding(Function<EarlyRefusal.Work, ServingException> refusal) {
        this.refusal = refusal;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        EarlyRefusal.Work work = WORK.get(method);
        ServingException busy = work == null ? null : refusal.apply(work);
        if (busy == null) {
            return next.startCall(call, headers);
        }
        call.close(Statuses.of(method, busy), new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
