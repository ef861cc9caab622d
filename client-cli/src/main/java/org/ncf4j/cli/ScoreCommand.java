package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ncf score USER:ITEM...}: probabilities (and logits) of pairs, in input order. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scores (user, item) pairs and prints them in input order.")
final class ScoreCommand extends ServerCommand {
    @Parameters(paramLabel = "USER:ITEM", arity = "0..*", description = "Pairs, split at the first ':' (use --file "
            + "for ids that contain one).")
    List<String> pairs = new ArrayList<>();

    @Option(names = "--file", paramLabel = "PAIRS.csv", description = "A file of user,item lines (a first line "
            + "'user,item' is a header).")
    Path file;

    @Option(names = "--chunk", defaultValue = "10000", description = "Pairs per Score call (default: "
            + "${DEFAULT-VALUE}).")
    int chunk;

    @Mixin
    ModelOption model;

    @Override
    int run(ManagedChannel channel) throws IOException {
        List<String[]> input = new ArrayList<>();
        for (String p : pairs) {
            int colon = p.indexOf(':');
            if (colon < 1 || colon == p.length() - 1) {
                throw new UsageException("'" + p + "' is not USER:ITEM");
            }
            input.add(new String[] {p.substring(0, colon), p.substring(colon + 1)});
        }
        if (file != null) {
            input.addAll(InputFiles.pairs("--file", file));
        }
        if (input.isEmpty()) {
            throw new UsageException("give pairs as USER:ITEM arguments or in --file");
        }
        InputFiles.positive("--chunk", chunk);
        List<List<String>> rows = new ArrayList<>();
        for (int from = 0; from < input.size(); from += chunk) {
            List<String[]> part = input.subList(from, Math.min(input.size(), from + chunk));
            ScoreRequest.Builder req = ScoreRequest.newBuilder().setModel(model.spec());
            for (String[] pair : part) {
                req.addUsers(pair[0]).addItems(pair[1]);
            }
            ScoreResponse r = connection.blocking(channel).score(req.build());
            for (int i = 0; i < part.size(); i++) {
                float logit = i < r.getLogitsCount() ? r.getLogits(i) : Float.NaN;
                if (output.json()) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("user", part.get(i)[0]);
                    doc.put("item", part.get(i)[1]);
                    doc.put("score", r.getScores(i));
                    doc.put("logit", logit);
                    doc.put("model", r.getModel().getName());
                    doc.put("version", r.getModel().getVersion());
                    Output.json(out(), doc);
                } else {
                    rows.add(List.of(part.get(i)[0], part.get(i)[1], String.format("%.6f", r.getScores(i)),
                            String.format("%.4f", logit), ModelRef.describe(r.getModel())));
                }
            }
        }
        if (!output.json()) {
            Output.table(out(), List.of("user", "item", "score", "logit", "model"), rows);
        }
        return ExitCodes.OK;
    }
}
