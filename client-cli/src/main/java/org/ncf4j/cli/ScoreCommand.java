package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;
import picocli.CommandLine.Command;
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

    @Option(names = "--model", paramLabel = "NAME[:VERSION]", description = "The model (default: the server's).")
    String model;

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
            input.addAll(readPairs(file));
        }
        if (input.isEmpty()) {
            throw new UsageException("give pairs as USER:ITEM arguments or in --file");
        }
        if (chunk < 1) {
            throw new UsageException("--chunk must be at least 1, got " + chunk);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int from = 0; from < input.size(); from += chunk) {
            List<String[]> part = input.subList(from, Math.min(input.size(), from + chunk));
            ScoreRequest.Builder req = ScoreRequest.newBuilder().setModel(ModelRef.parse(model));
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

    static List<String[]> readPairs(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new UsageException("--file " + file + ": no such readable file");
        }
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || (lineNo == 1 && s.equalsIgnoreCase("user,item"))) {
                    continue;
                }
                String[] parts = s.split(",", -1);
                if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw new UsageException(file + ":" + lineNo + ": expected user,item, found '"
                            + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'");
                }
                out.add(new String[] {parts[0].strip(), parts[1].strip()});
            }
        }
        return out;
    }
}
