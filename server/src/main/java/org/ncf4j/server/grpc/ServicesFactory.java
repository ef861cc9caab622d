package org.ncf4j.server.grpc;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Factory;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.ncf4j.server.config.SecurityConfig;
import java.util.concurrent.ExecutorService;
import org.ncf4j.server.health.HealthService;
import org.ncf4j.server.health.ServingHealth;
import org.ncf4j.server.inference.InferenceService;
import org.ncf4j.server.service.EarlyRefusal;
import org.ncf4j.server.service.ModelAdminService;
import org.ncf4j.server.service.RecommendationService;

/**
 * The gRPC services: the recommender API, the Open Inference Protocol's {@code inference.GRPCInferenceService},
 * health, and server reflection in both versions (v1, and v1alpha that
 * many tools still ask for), each parsing its requests through {@link MalformedRequests}; Reload needs the admin
 * token when one is configured ({@link AdminCredential}); model calls that no model could take now are refused
 * before their message is read ({@link LoadShedding}).
 */
@Factory
public class ServicesFactory {
    @Singleton
    @Named("recommender")
    ServerServiceDefinition recommender(RecommendationService service, ModelAdminService admin,
                                        @Named(TaskExecutors.IO) ExecutorService blocking, SecurityConfig security,
                                        EarlyRefusal refusal) {
        return ServerInterceptors.intercept(MalformedRequests.wrap(new RecommenderEndpoint(service, admin,
                blocking)), new AdminCredential(security.adminToken()), new LoadShedding(refusal::check));
    }

    @Singleton
    @Named("inference")
    ServerServiceDefinition inference(InferenceService service, ServingHealth health,
                                      @Named(TaskExecutors.IO) ExecutorService blocking, EarlyRefusal refusal) {
        return ServerInterceptors.intercept(MalformedRequests.wrap(new InferenceEndpoint(service, health,
                blocking)), new LoadShedding(refusal::check));
    }

    @Singleton
    @Named("health")
    ServerServiceDefinition health(HealthService health) {
        return MalformedRequests.wrap(health);
    }

    @Singleton
    @Named("reflection")
    ServerServiceDefinition reflection() {
        return MalformedRequests.wrap(ProtoReflectionServiceV1.newInstance());
    }

    @Singleton
    @Named("reflection-v1alpha")
    @SuppressWarnings("deprecation")
    ServerServiceDefinition reflectionV1alpha() {
        return MalformedRequests.wrap(ProtoReflectionService.newInstance());
    }
}
