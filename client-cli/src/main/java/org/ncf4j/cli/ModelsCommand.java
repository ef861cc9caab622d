package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ncf4j.api.v1.ListModelsRequest;
import org.ncf4j.api.v1.ModelVersions;
import picocli.CommandLine.Command;

/** {@code ncf models}: the repository's models with their loaded, available and failed versions. */
@Command(name = "models", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Lists the server's models: versions loaded, available (left unloaded by the version policy) "
                + "and failed, with why.")
final class ModelsCommand extends ServerCommand {
    @Override
    int run(ManagedChannel channel) {
        print(this, connection.blocking(channel).listModels(ListModelsRequest.getDefaultInstance()).getModelsList());
        return ExitCodes.OK;
    }

    /** Prints models as a table or JSON (also used by reload). */
    static void print(ServerCommand cmd, List<ModelVersions> models) {
        if (cmd.output.json()) {
            List<Map<String, Object>> docs = new ArrayList<>();
            for (ModelVersions m : models) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("name", m.getName());
                doc.put("loaded", m.getLoadedList());
                doc.put("available", m.getAvailableList());
                doc.put("failed", new TreeMap<>(m.getFailedMap()));
                doc.put("error", m.getError());
                docs.add(doc);
            }
            Output.json(cmd.out(), Map.of("models", docs));
            return;
        }
        if (models.isEmpty()) {
            cmd.out().println("no models in the server's repository");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ModelVersions m : models) {
            String failed = new TreeMap<>(m.getFailedMap()).entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
            if (!m.getError().isEmpty()) {
                failed = (failed.isEmpty() ? "" : failed + "; ") + "listing: " + m.getError();
            }
            rows.add(List.of(m.getName(), join(m.getLoadedList()), join(m.getAvailableList()),
                    failed.isEmpty() ? "-" : failed));
        }
        Output.table(cmd.out(), List.of("model", "loaded", "available", "failed"), rows);
    }

    private static String join(List<Long> versions) {
        return versions.isEmpty() ? "-" : versions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
