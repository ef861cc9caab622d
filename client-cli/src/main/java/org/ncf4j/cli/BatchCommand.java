package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendBatchResponse;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.data.Directories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ncf batch --users FILE}: recommendations for many users through RecommendBatch, in chunks, written as CSV
 * ({@code user,rank,item,score,fallback}) or JSON lines (one user per line), to a file or standard output.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Recommends for every user of a file (one id per line) in RecommendBatch chunks: CSV or JSON "
                + "lines, for nightly jobs.")
final class BatchCommand extends ServerCommand {
    @Option(names = "--users", required = true, paramLabel = "FILE", description = "User ids, one per line (a "
            + "bundle's users.txt will do).")
    Path users;

    @Option(names = "-k", defaultValue = "10", description = "Items per user (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--include-seen", description = "Also recommend items users interacted with in training.")
    boolean includeSeen;

    @Option(names = "--chunk", defaultValue = "256", description = "Users per RecommendBatch call, at most the "
            + "server's ncf.max-recommend-batch (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write (default: standard "
            + "output); written to a temporary file beside it, renamed to FILE once complete.")
    Path file;

    @Mixin
    ModelOption model;

    @Override
    int run(ManagedChannel channel) throws IOException {
        InputFiles.positive("--chunk", chunk);
        List<String> ids = InputFiles.ids("--users", users);
        String[] answeredBy = {null};
        if (file == null) {
            answeredBy[0] = recommendAll(channel, ids, out());
        } else {
            Directories.writeAtomically(file, tmp -> {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    answeredBy[0] = recommendAll(channel, ids, w);
                }
            });
        }
        err().printf("%,d users, k %d, from model %s%s%n", ids.size(), k, answeredBy[0],
                file == null ? "" : ", written to " + file);
        return ExitCodes.OK;
    }

    /** Writes every user's recommendations, chunk by chunk, with a progress bar; returns who answered. */
    private String recommendAll(ManagedChannel channel, List<String> ids, Writer out) throws IOException {
        ModelSpec spec = model.spec();
        Progress progress = new Progress(err(), "users", ids.size());
        String answeredBy = null;
        if (!output.json()) {
            out.write("user,rank,item,score,fallback\n");
        }
        for (int from = 0; from < ids.size(); from += chunk) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + chunk));
            RecommendBatchRequest.Builder req = RecommendBatchRequest.newBuilder();
            for (String u : part) {
                req.addRequests(RecommendRequest.newBuilder().setModel(spec).setUser(u).setK(k)
                        .setIncludeSeen(includeSeen));
            }
            RecommendBatchResponse r = connection.blocking(channel).recommendBatch(req.build());
            for (int i = 0; i < part.size(); i++) {
                write(out, part.get(i), r.getResponses(i));
            }
            answeredBy = ModelRef.describe(r.getResponses(0).getModel());
            progress.add(part.size());
        }
        out.flush();
        progress.finish();
        return answeredBy;
    }

    private void write(Writer out, String user, RecommendResponse r) throws IOException {
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("user", user);
            doc.put("version", r.getModel().getVersion());
            doc.put("popularityFallback", r.getPopularityFallback());
            List<Map<String, Object>> items = new ArrayList<>();
            for (int j = 0; j < r.getItemsCount(); j++) {
                items.add(Output.object("item", r.getItems(j).getItem(), "score", r.getItems(j).getScore()));
            }
            doc.put("items", items);
            out.write(Output.jsonLine(doc) + "\n");
            return;
        }
        for (int j = 0; j < r.getItemsCount(); j++) {
            out.write(csv(user) + "," + (j + 1) + "," + csv(r.getItems(j).getItem()) + ","
                    + r.getItems(j).getScore() + "," + r.getPopularityFallback() + "\n");
        }
    }

    /** Quotes a CSV field when it needs it. */
    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
