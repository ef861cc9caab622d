package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.api.v1.Ranking;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.ScoredItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ncf recommend USER}: the user's k best items as a table of rank, item and score. */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The k best items for a user, best first, with the model version that answered.")
final class RecommendCommand extends ServerCommand {
    @Parameters(paramLabel = "USER", description = "The user's id.")
    String user;

    @Option(names = "-k", defaultValue = "10", description = "How many items (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--include-seen", description = "Also recommend items the user interacted with in training.")
    boolean includeSeen;

    @Option(names = "--candidates", split = ",", paramLabel = "ITEM", description = "Rank only these items.")
    List<String> candidates = new ArrayList<>();

    @Option(names = "--exclude", split = ",", paramLabel = "ITEM", description = "Never return these items.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--ranking", defaultValue = "default", description = "How the whole catalogue is ranked: "
            + "default (as the server does for the model), exact or retrieval (C candidates from the item index, "
            + "re-ranked by the model) (default: ${DEFAULT-VALUE}).")
    String ranking;

    @Option(names = "--retrieval-candidates", paramLabel = "C", defaultValue = "0", description = "Retrieval's C "
            + "for this call (0: the server's) (default: ${DEFAULT-VALUE}).")
    int retrievalCandidates;

    @Mixin
    ModelOption model;

    @Override
    int run(ManagedChannel channel) {
        RecommendResponse r = connection.blocking(channel).recommend(RecommendRequest.newBuilder()
                .setModel(model.spec()).setUser(user).setK(k).setIncludeSeen(includeSeen)
                .addAllCandidates(candidates).addAllExclude(exclude).setRanking(Rankings.parse(ranking))
                .setRetrievalCandidates(retrievalCandidates).build());
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("user", user);
            doc.put("model", r.getModel().getName());
            doc.put("version", r.getModel().getVersion());
            doc.put("popularityFallback", r.getPopularityFallback());
            doc.put("rankedBy", Rankings.label(r.getRankedBy()));
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < r.getItemsCount(); i++) {
                items.add(Output.object("rank", i + 1, "item", r.getItems(i).getItem(),
                        "score", r.getItems(i).getScore()));
            }
            doc.put("items", items);
            Output.json(out(), doc);
            return ExitCodes.OK;
        }
        out().printf("user %s, model %s%s%n", user, ModelRef.describe(r.getModel()), r.getPopularityFallback()
                ? " (popularity fallback: the model does not know this user; scores are shares of users)"
                : ", ranked " + (r.getRankedBy() == Ranking.RANKING_RETRIEVAL ? "through retrieval" : "exactly"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < r.getItemsCount(); i++) {
            ScoredItem item = r.getItems(i);
            rows.add(List.of(Integer.toString(i + 1), item.getItem(), String.format("%.6f", item.getScore())));
        }
        Output.table(out(), List.of("rank", "item", "score"), rows);
        return ExitCodes.OK;
    }
}
