package org.ncf4j.server.grpc;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Factory;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import org.ncf4j.server.metrics.ServingMetrics;
import org.ncf4j.server.repository.ModelRepository;
import org.ncf4j.server.service.RecommendationService;

/** The gRPC services besides health: the recommender API and server reflection (so grpcurl can list the API). */
@Factory
public class ServicesFactory {
    /**
     * The recommender, taking its requests as raw streams that {@link MalformedRequests} parses, so that bytes
     * which are not a valid message get INVALID_ARGUMENT rather than gRPC's UNKNOWN.
     */
    @Singleton
    ServerServiceDefinition recommender(RecommendationService service, ModelRepository repository,
                                        ServingMetrics metrics, @Named(TaskExecutors.IO) ExecutorService blocking) {
        RecommenderEndpoint endpoint = new RecommenderEndpoint(service, repository, metrics, blocking);
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(endpoint.bindService()),
                new MalformedRequests());
    }

    @Singleton
    BindableService reflection() {
        return ProtoReflectionServiceV1.newInstance();
    }
}
