package org.ncf4j.server.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.ncf4j.server.config.SecurityConfig;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.health.ServingHealth;
import org.ncf4j.server.inference.InferenceService;
import org.ncf4j.server.inference.ServerIdentity;
import org.ncf4j.server.metrics.ServingMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol's REST routes on the HTTP port, translated to {@link InferenceService} (the models of
 * docs/inference-protocol.md). Errors are {@code {"error": "..."}} with 400 (a bad request), 404 (an unknown model
 * or version, or user), 429 (a full queue), 503 (no model ready, stopping), 504 (too late) or 500. With TLS
 * configured ({@code ncf.security}), inference is served only on the HTTPS listener ({@link RestListeners}), under
 * the gRPC port's certificates, and refused (403) on the plaintext one: it must not be a way around them. Each route's calls are counted as {@code ncf_requests_total{rpc="REST <route>"}}
 * with the HTTP status. Inference waits for its answer on a thread of the blocking executor, never on the HTTP
 * server's event loop; the other routes answer at once.
 */
@Controller("/v2")
public class InferenceRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceRoutes.class);
    private final InferenceService service;
    private final ServingHealth health;
    private final SecurityConfig security;
    private final ServingMetrics metrics;

    public InferenceRoutes(InferenceService service, ServingHealth health, SecurityConfig security,
                           ServingMetrics metrics) {
        this.service = service;
        this.health = health;
        this.security = security;
        this.metrics = metrics;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> server() {
        return answer("REST ServerMetadata", () -> {
            ObjectNode o = JsonTensors.JSON.createObjectNode().put("name", ServerIdentity.NAME)
                    .put("version", ServerIdentity.version());
            ServerIdentity.EXTENSIONS.forEach(o.putArray("extensions")::add);
            return HttpResponse.ok(o.toString());
        });
    }

    @Get(value = "/health/live", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> live() {
        return answer("REST ServerLive", () -> HttpResponse.ok("{\"live\":true}"));
    }

    /** 200 while serving, 503 otherwise, so that a readiness probe can use it as it is. */
    @Get(value = "/health/ready", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> ready() {
        return answer("REST ServerReady", () -> {
            boolean ready = health.serving();
            return HttpResponse.<String>status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .body("{\"ready\":" + ready + "}");
        });
    }

    @Get(value = "/models/{name}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> metadata(String name) {
        return metadata(name, "");
    }

    @Get(value = "/models/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> metadata(String name, String version) {
        return answer("REST ModelMetadata", () -> HttpResponse.ok(JsonTensors.metadata(service.metadata(name,
                version))));
    }

    @Get(value = "/models/{name}/config", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> config(String name) {
        return config(name, "");
    }

    /** Triton's model configuration extension: the model's configuration as Triton's JSON form of ModelConfig. */
    @Get(value = "/models/{name}/versions/{version}/config", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> config(String name, String version) {
        return answer("REST ModelConfig", () -> HttpResponse.ok(JsonTensors.config(service.metadata(name,
                version))));
    }

    @Get(value = "/models/{name}/ready", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> modelReady(String name) {
        return modelReady(name, "");
    }

    /** 200 with ready true, or 503 with ready false; 404 for a model the server does not have. */
    @Get(value = "/models/{name}/versions/{version}/ready", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> modelReady(String name, String version) {
        return answer("REST ModelReady", () -> {
            boolean ready = service.ready(name, version);
            ObjectNode o = JsonTensors.JSON.createObjectNode().put("name", name).put("ready", ready);
            return HttpResponse.<String>status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .body(o.toString());
        });
    }

    @Post(value = "/models/{name}/infer", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> infer(HttpRequest<?> request, String name, @Body String body) {
        return infer(request, name, "", body);
    }

    @Post(value = "/models/{name}/versions/{version}/infer", consumes = MediaType.ALL,
            produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> infer(HttpRequest<?> request, String name, String version, @Body String body) {
        return answer("REST ModelInfer", () -> {
            if (security.tls() && !request.isSecure()) {
                return error(HttpStatus.FORBIDDEN, "inference is not served on the plaintext HTTP port while TLS is "
                        + "configured (ncf.security): use the HTTPS port (micronaut.server.ssl.port), or ModelInfer "
                        + "over gRPC");
            }
            InferenceService.Request r = JsonTensors.request(name, version, body == null ? "" : body);
            try {
                return HttpResponse.ok(JsonTensors.response(service.infer(r, Long.MAX_VALUE).get(), r.id()));
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ServingException.unavailable("the server is shutting down");
            }
        });
    }

    private HttpResponse<String> answer(String route, Supplier<HttpResponse<String>> call) {
        long t0 = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            response = failure(route, e);
        }
        metrics.call(route, String.valueOf(response.code()), System.nanoTime() - t0);
        return response;
    }

    private static HttpResponse<String> failure(String route, RuntimeException error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof ServingException s && s.error() != ServingError.INTERNAL) {
            return error(switch (s.error()) {
                case INVALID_REQUEST -> HttpStatus.BAD_REQUEST;
                case NOT_FOUND -> HttpStatus.NOT_FOUND;
                case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
                case OVERLOADED -> HttpStatus.TOO_MANY_REQUESTS;
                case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
                case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
            }, s.getMessage());
        }
        LOG.error("{} failed", route, e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error in " + route + " (details in the server's log)");
    }

    private static HttpResponse<String> error(HttpStatus status, String message) {
        return HttpResponse.<String>status(status).body(JsonTensors.JSON.createObjectNode()
                .put("error", Ids.cap(message)).toString());
    }
}
