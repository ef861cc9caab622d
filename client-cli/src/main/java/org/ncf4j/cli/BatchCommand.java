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
import picocli.CommandLine.Command;
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
            + "output); written to FILE.tmp first and moved in place when complete.")
    Path file;

    @Option(names = "--model", paramLabel = "NAME[:VERSION]", description = "The model (default: the server's).")
    String model;

    @Override
    int run(ManagedChannel channel) throws IOException {
        if (chunk < 1) {
            throw new UsageException("--chunk must be at least 1, got " + chunk);
        }
        List<String> ids = readIds(users);
        ModelSpec spec = ModelRef.parse(model);
        Path tmp = file == null ? null : file.resolveSibling(file.getFileName() + ".tmp");
        Writer out = tmp == null ? out() : Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        Progress progress = new Progress(err(), "users", ids.size());
        String answeredBy = null;
        try {
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
            if (tmp != null) {
                out.close();
            }
        } catch (RuntimeException | IOException e) {
            if (tmp != null) {
                out.close();
                Files.deleteIfExists(tmp);
            }
            throw e;
        }
        progress.finish();
        if (tmp != null) {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        err().printf("%,d users, k %d, from model %s%s%n", ids.size(), k, answeredBy,
                file == null ? "" : ", written to " + file);
        return ExitCodes.OK;
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

    static List<String> readIds(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new UsageException("--users " + file + ": no such readable file");
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                ids.add(line.strip());
            }
        }
        if (ids.isEmpty()) {
            throw new UsageException("--users " + file + " lists no users");
        }
        return ids;
    }
}
