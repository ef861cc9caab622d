package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ncf health}: the server's grpc.health.v1 status; exit 0 when SERVING, 1 otherwise. With {@code --watch},
 * a line per change until the server closes the stream (or the deadline, when one is given explicitly).
 */
@Command(name = "health", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The server's health (grpc.health.v1): exit 0 when SERVING, 1 when not.")
final class HealthCommand extends ServerCommand {
    @Option(names = "--service", defaultValue = "", description = "The service to ask about: empty for the whole "
            + "server, or ncf.v1.Recommender (default: the server).")
    String service;

    @Option(names = "--watch", description = "Print every change of status until the server ends the stream.")
    boolean watch;

    @Override
    int run(ManagedChannel channel) {
        HealthCheckRequest req = HealthCheckRequest.newBuilder().setService(service).build();
        if (!watch) {
            HealthCheckResponse r = connection.withDeadline(HealthGrpc.newBlockingStub(channel)).check(req);
            print(r);
            return r.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? ExitCodes.OK
                    : ExitCodes.SERVER_ERROR;
        }
        HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
        if (spec.commandLine().getParseResult().hasMatchedOption("--deadline")) {
            stub = connection.withDeadline(stub);
        }
        HealthCheckResponse last = null;
        for (Iterator<HealthCheckResponse> it = stub.watch(req); it.hasNext(); ) {
            last = it.next();
            print(last);
        }
        return last != null && last.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? ExitCodes.OK
                : ExitCodes.SERVER_ERROR;
    }

    private void print(HealthCheckResponse r) {
        String name = service.isEmpty() ? "server" : service;
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("service", service);
            doc.put("status", r.getStatus().name());
            doc.put("time", Instant.now().toString());
            Output.json(out(), doc);
        } else {
            out().printf("%s %s: %s%n", Instant.now(), name, r.getStatus().name());
            out().flush();
        }
    }
}
