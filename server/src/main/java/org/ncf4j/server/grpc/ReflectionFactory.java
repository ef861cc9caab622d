package org.ncf4j.server.grpc;

import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Server reflection, so grpcurl and other tools can discover the API. */
@Factory
public class ReflectionFactory {
    @Singleton
    BindableService reflection() {
        return ProtoReflectionServiceV1.newInstance();
    }
}
