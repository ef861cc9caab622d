package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ncf4j.api.v1.ModelInfo;
import org.ncf4j.api.v1.ModelInfoRequest;
import org.ncf4j.api.v1.RetrievalInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ncf info [MODEL[:VERSION]]}: what a served model is, from its card. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Describes a served model: variant, sizes, dataset, metrics from training, execution provider, "
                + "how Recommend ranks (exactly or through retrieval, with which index and C).")
final class InfoCommand extends ServerCommand {
    @Parameters(paramLabel = "MODEL[:VERSION]", arity = "0..1", description = "The model (default: the server's "
            + "default model, highest loaded version).")
    String model;

    @Override
    int run(ManagedChannel channel) {
        ModelInfo i = connection.blocking(channel).getModelInfo(ModelInfoRequest.newBuilder()
                .setModel(ModelRef.parse(model)).build());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", i.getModel().getName());
        doc.put("version", i.getModel().getVersion());
        doc.put("variant", i.getVariant());
        doc.put("factor", i.getFactor());
        doc.put("layers", i.getLayersList());
        doc.put("users", i.getNumUsers());
        doc.put("items", i.getNumItems());
        doc.put("dataset", i.getDataset());
        doc.put("createdAt", i.getCreatedAt());
        doc.put("executionProvider", i.getExecutionProvider());
        doc.put("ready", i.getReady());
        doc.put("lastError", i.getLastError());
        RetrievalInfo r = i.getRetrieval();
        doc.put("ranking", !r.getAvailable() ? "exact (no item index)" : r.getByDefault()
                ? "through retrieval by default, C " + r.getCandidates() : "exact by default; retrieval on request, C "
                + r.getCandidates());
        doc.put("retrievalIndex", r.getIndex());
        doc.put("retrievalBuildMillis", r.getBuildMillis());
        doc.put("metrics", new TreeMap<>(i.getMetricsMap()));
        if (output.json()) {
            Output.json(out(), doc);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        doc.forEach((k, v) -> {
            if (!k.equals("metrics")) {
                rows.add(List.of(k, String.valueOf(v).isEmpty() ? "-" : String.valueOf(v)));
            }
        });
        new TreeMap<>(i.getMetricsMap()).forEach((k, v) -> rows.add(List.of("metrics." + k,
                String.format("%.6f", v))));
        Output.table(out(), List.of("field", "value"), rows);
        return ExitCodes.OK;
    }
}
