package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncf4j.api.v1.Ranking;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoredItem;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ncf recall}: how much of the exact top K retrieval finds, for a seeded sample of the model's users: each
 * user's top K ranked exactly and through retrieval with each C asked for, recall@K pooled over users (the
 * retrieved items among the exact ones), and the server's time per user of each way, so that C can be chosen from
 * the trade-off. Seen items are excluded, as by default.
 */
@Command(name = "recall", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Recall@K of retrieval's top K against the exact top K of the same model, over a sample of "
                + "users, for one or several C.")
final class RecallCommand extends ServerCommand {
    @Option(names = "--bundle", paramLabel = "DIR", description = "A copy of the served bundle: users are drawn from "
            + "its users.txt.")
    Path bundle;

    @Option(names = "--users", paramLabel = "FILE", description = "User ids to draw from, one per line, when there "
            + "is no local bundle.")
    Path usersFile;

    @Option(names = "-n", paramLabel = "N", defaultValue = "1000", description = "Users in the sample (default: "
            + "${DEFAULT-VALUE}).")
    int n;

    @Option(names = "-k", defaultValue = "10", description = "The cut-off K (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--retrieval-candidates", paramLabel = "C", split = ",", defaultValue = "0", description = "C, "
            + "one or several separated by commas (0: the server's) (default: ${DEFAULT-VALUE}).")
    List<Integer> candidates;

    @Option(names = "--users-per-call", defaultValue = "16", description = "Users per RecommendBatch call "
            + "(default: ${DEFAULT-VALUE}).")
    int usersPerCall;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds the sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ModelOption model;

    /** One way of ranking's top K per user and its time per user in ms. */
    private record Tops(List<List<String>> tops, double msPerUser) {
    }

    @Override
    int run(ManagedChannel channel) throws Exception {
        InputFiles.positive("-n", n);
        InputFiles.positive("-k", k);
        InputFiles.positive("--users-per-call", usersPerCall);
        for (int c : candidates) {
            if (c < 0) {
                throw new UsageException("--retrieval-candidates must be >= 0 (0: the server's), got " + c);
            }
        }
        List<String> all;
        if (bundle != null) {
            Bundle.card(bundle, Bundle.MAX_FILE_BYTES);
            all = InputFiles.ids("--bundle", bundle.resolve(BundleFiles.USERS));
        } else if (usersFile != null) {
            all = InputFiles.ids("--users", usersFile);
        } else {
            throw new UsageException("give --bundle DIR (a copy of the served bundle) or --users FILE to draw users "
                    + "from");
        }
        List<String> users = new SplittableRandom(seed).ints(0, all.size()).distinct().limit(Math.min(n, all.size()))
                .mapToObj(all::get).toList();
        RecommenderGrpc.RecommenderBlockingStub stub = connection.blocking(channel);
        Tops exact = tops(stub, users, Ranking.RANKING_EXACT, 0, "exact");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int c : candidates) {
            Tops retrieved = tops(stub, users, Ranking.RANKING_RETRIEVAL, c, "retrieval, C " + (c == 0 ? "default" : c));
            double recall = EvaluateCommand.recall(retrieved.tops(), exact.tops());
            rows.add(Output.object("candidates", c, "recall", recall, "msPerUser", retrieved.msPerUser(),
                    "exactMsPerUser", exact.msPerUser()));
        }
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("users", users.size());
            doc.put("k", k);
            doc.put("results", rows);
            Output.json(out(), doc);
            return ExitCodes.OK;
        }
        out().printf("%d users, K %d: exact %.3f ms per user%n", users.size(), k, exact.msPerUser());
        List<List<String>> table = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            int c = (Integer) r.get("candidates");
            table.add(List.of(c == 0 ? "server's" : Integer.toString(c), String.format("%.4f", r.get("recall")),
                    String.format("%.3f", r.get("msPerUser"))));
        }
        Output.table(out(), List.of("C", "recall@" + k, "ms per user"), table);
        return ExitCodes.OK;
    }

    /** Every user's top K ranked as asked, a batch at a time, and the time per user. */
    private Tops tops(RecommenderGrpc.RecommenderBlockingStub stub, List<String> users, Ranking how, int c,
                      String label) {
        Progress progress = new Progress(err(), label + ": users", users.size());
        List<List<String>> tops = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int from = 0; from < users.size(); from += usersPerCall) {
            RecommendBatchRequest.Builder req = RecommendBatchRequest.newBuilder();
            for (String user : users.subList(from, Math.min(users.size(), from + usersPerCall))) {
                req.addRequests(RecommendRequest.newBuilder().setModel(model.spec()).setUser(user).setK(k)
                        .setRanking(how).setRetrievalCandidates(c));
            }
            for (RecommendResponse r : connection.withDeadline(stub).recommendBatch(req.build()).getResponsesList()) {
                tops.add(r.getItemsList().stream().map(ScoredItem::getItem).toList());
            }
            progress.add(req.getRequestsCount());
        }
        progress.finish();
        return new Tops(tops, (System.nanoTime() - t0) / 1e6 / users.size());
    }
}
