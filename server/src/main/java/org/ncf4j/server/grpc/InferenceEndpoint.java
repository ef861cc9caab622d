package org.ncf4j.server.grpc;

import static org.ncf4j.server.grpc.Calls.DIRECT;
import static org.ncf4j.server.grpc.Calls.answer;
import static org.ncf4j.server.grpc.Calls.answerNow;
import static org.ncf4j.server.grpc.Calls.timeoutNanos;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import org.ncf4j.api.inference.GRPCInferenceServiceGrpc;
import org.ncf4j.api.inference.ModelConfigRequest;
import org.ncf4j.api.inference.ModelConfigResponse;
import org.ncf4j.api.inference.ModelInferRequest;
import org.ncf4j.api.inference.ModelInferResponse;
import org.ncf4j.api.inference.ModelMetadataRequest;
import org.ncf4j.api.inference.ModelMetadataResponse;
import org.ncf4j.api.inference.ModelReadyRequest;
import org.ncf4j.api.inference.ModelReadyResponse;
import org.ncf4j.api.inference.ServerLiveRequest;
import org.ncf4j.api.inference.ServerLiveResponse;
import org.ncf4j.api.inference.ServerMetadataRequest;
import org.ncf4j.api.inference.ServerMetadataResponse;
import org.ncf4j.api.inference.ServerReadyRequest;
import org.ncf4j.api.inference.ServerReadyResponse;
import org.ncf4j.server.health.ServingHealth;
import org.ncf4j.server.inference.InferenceModels;
import org.ncf4j.server.inference.InferenceService;
import org.ncf4j.server.inference.ServerIdentity;

/**
 * Translates the Open Inference Protocol's {@code inference.GRPCInferenceService} messages to
 * {@link InferenceService} and back ({@link InferenceTensors} for the tensors); failures become statuses through
 * {@link Statuses}, as for {@code ncf.v1}. Like {@link RecommenderEndpoint}, small inferences run on the I/O
 * thread and the rest on the {@code io} executor.
 */
final class InferenceEndpoint extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final InferenceService service;
    private final ServingHealth health;
    private final Executor blocking;

    InferenceEndpoint(InferenceService service, ServingHealth health, Executor blocking) {
        this.service = service;
        this.health = health;
        this.blocking = blocking;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answerNow("ServerLive", out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answerNow("ServerReady", out, () -> ServerReadyResponse.newBuilder().setReady(health.serving()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answerNow("ModelReady", out, () -> ModelReadyResponse.newBuilder()
                .setReady(service.ready(request.getName(), request.getVersion())).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answerNow("ServerMetadata", out, () -> ServerMetadataResponse.newBuilder().setName(ServerIdentity.NAME)
                .setVersion(ServerIdentity.version()).addAllExtensions(ServerIdentity.EXTENSIONS).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        answerNow("ModelMetadata", out, () -> {
            InferenceService.Metadata m = service.metadata(request.getName(), request.getVersion());
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name())
                    .addAllVersions(m.versions()).setPlatform(m.platform());
            m.inputs().forEach(t -> b.addInputs(tensor(t)));
            m.outputs().forEach(t -> b.addOutputs(tensor(t)));
            return b.build();
        });
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> out) {
        answerNow("ModelConfig", out, () -> ModelConfigResponse.newBuilder()
                .setConfig(ModelConfigs.of(service.metadata(request.getName(), request.getVersion()))).build());
    }

    private static ModelMetadataResponse.TensorMetadata tensor(InferenceModels.TensorSpec t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(t.name()).setDatatype(t.datatype().name());
        for (long d : t.shape()) {
            b.addShape(d);
        }
        return b.build();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        InferenceService.Request r;
        try {
            r = InferenceTensors.request(request);
        } catch (RuntimeException e) {
            answer("ModelInfer", out, DIRECT, () -> {
                throw e;
            });
            return;
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        answer("ModelInfer", out, service.runsInline(r) ? DIRECT : blocking, () -> service.infer(r, timeoutNanos())
                .thenApply(result -> InferenceTensors.response(result, request.getId(), raw)));
    }
}
