package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.Ranking;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendBatchResponse;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;
import org.ncf4j.api.v1.ScoredItem;
import org.ncf4j.data.HeldOutFile;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.eval.UserSample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ncf evaluate}: HR@K and NDCG@K of the served model on held-out items, with the trainer's metric code
 * ({@link RankingMetrics}). Sampled (the NCF paper's protocol): each held-out item ranked by logit against its
 * negatives, all scored through Score. Full ranking: the held-out item against every item the user did not
 * interact with in training, through Recommend with k = K and seen items excluded (and the other held-out item,
 * from {@code --exclude}, as the trainer leaves it out too).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "HR@K and NDCG@K of the served model on held-out items (a test.negative file, or a training "
                + "run's folder, which holds one).")
final class EvaluateCommand extends ServerCommand {
    @Parameters(paramLabel = "HELD_OUT", description = "A file in the NCF test.negative format ((user,item) then "
            + "negatives, tab-separated), or a training run's folder (its test.negative).")
    Path heldOut;

    @Option(names = "--protocol", defaultValue = "sampled", description = "sampled (the held-out item against its "
            + "negatives, through Score), full (against every unseen item, through Recommend) or both (default: "
            + "${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "-k", defaultValue = "10", description = "The cut-off K (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--exclude", paramLabel = "FILE", description = "Full ranking: another held-out file whose item "
            + "per user is also left out (default: validation.negative beside the test file, when there is one).")
    Path exclude;

    @Option(names = "--ranking", defaultValue = "default", description = "Full ranking: how the server ranks the "
            + "catalogue: default (as the server does for the model), exact, retrieval (C candidates from the item "
            + "index, re-ranked by the model) or compare (exact and retrieval on the same users, and the recall@K of "
            + "retrieval's top K against the exact top K) (default: ${DEFAULT-VALUE}).")
    String ranking;

    @Option(names = "--retrieval-candidates", paramLabel = "C", defaultValue = "0", description = "Full ranking through "
            + "retrieval: the candidates taken from the index (0: the server's) (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--pairs-per-call", defaultValue = "10000", description = "Sampled: pairs per Score call "
            + "(default: ${DEFAULT-VALUE}).")
    int pairsPerCall;

    @Option(names = "--users-per-call", defaultValue = "64", description = "Full ranking: users per RecommendBatch "
            + "call (default: ${DEFAULT-VALUE}).")
    int usersPerCall;

    @Option(names = "--users", paramLabel = "N", defaultValue = "100000", description = "Sampled: rank a seeded "
            + "sample of N users when the file holds more; 0 ranks them all (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--full-ranking-users", paramLabel = "N", defaultValue = "10000", description = "Full ranking: "
            + "the same for the full ranking (default: ${DEFAULT-VALUE}).")
    int fullRankingUsers;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds the sample of users; the training run's "
            + "--seed picks the users it ranked (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "4", description = "Calls in flight (default: "
            + "${DEFAULT-VALUE}).")
    int concurrency;

    @Mixin
    ModelOption model;

    /** How many users the held-out file holds. */
    private int ofUsers;

    /** With --ranking compare, retrieval's recall@K against the exact ranking; else -1. */
    private double recall = -1;

    /** One protocol's outcome. */
    record Result(String protocol, int users, double hitRate, double ndcg, double seconds, String model,
                  int fallbacks, String rankedBy) {
    }

    /** A full ranking's outcome and each user's top K. */
    private record Full(Result result, List<List<String>> tops) {
    }

    /** The rows of the file's users that a sample of {@code size} (0: all) picks. */
    private static List<HeldOutFile.Row> sample(List<HeldOutFile.Row> rows, int size, long seed) {
        long[] keys = new long[rows.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = UserSample.key(rows.get(i).user(), seed);
        }
        List<HeldOutFile.Row> out = new ArrayList<>();
        for (int i : UserSample.choose(keys, size)) {
            out.add(rows.get(i));
        }
        return out;
    }

    @Override
    int run(ManagedChannel channel) throws Exception {
        if (!List.of("sampled", "full", "both").contains(protocol)) {
            throw new UsageException("--protocol is sampled, full or both, got '" + protocol + "'");
        }
        if (!List.of("default", "exact", "retrieval", "compare").contains(ranking)) {
            throw new UsageException("--ranking is default, exact, retrieval or compare, got '" + ranking + "'");
        }
        if (candidates < 0) {
            throw new UsageException("--retrieval-candidates must be >= 0 (0: the server's), got " + candidates);
        }
        if (candidates > 0 && ranking.equals("exact")) {
            throw new UsageException("--retrieval-candidates applies to retrieval; --ranking is exact");
        }
        InputFiles.positive("-k", k);
        InputFiles.positive("--pairs-per-call", pairsPerCall);
        InputFiles.positive("--users-per-call", usersPerCall);
        InputFiles.positive("--concurrency", concurrency);
        boolean run = Files.isDirectory(heldOut);
        Path file = run ? heldOut.resolve(HeldOutFile.TEST) : heldOut;
        if (run && !Files.isReadable(file)) {
            throw new UsageException(heldOut + " holds no " + HeldOutFile.TEST + ": give a training run's folder "
                    + "(runs of this version of ncf-train write one) or a test.negative file");
        }
        InputFiles.readable("HELD_OUT", file);
        if (users < 0 || fullRankingUsers < 0) {
            throw new UsageException("--users and --full-ranking-users must be >= 0 (0: all users)");
        }
        // the users of the smallest keys (UserSample, as the trainer picks them): one pass for the keys, one for
        // the rows of the larger sample, within which the smaller one lies
        long[] keys = HeldOutFile.userKeys(file, seed);
        int sampledSize = protocol.equals("full") ? -1 : users;
        int fullSize = protocol.equals("sampled") ? -1 : fullRankingUsers;
        int largest = sampledSize == 0 || fullSize == 0 ? 0 : Math.max(sampledSize, fullSize);
        List<HeldOutFile.Row> rows = HeldOutFile.read(file, UserSample.samples(largest, keys.length)
                ? UserSample.choose(keys, largest) : null);
        ofUsers = keys.length;
        ModelSpec spec = model.spec();
        RecommenderGrpc.RecommenderFutureStub stub = RecommenderGrpc.newFutureStub(channel);
        List<Result> results = new ArrayList<>();
        if (!protocol.equals("full")) {
            results.add(sampled(stub, spec, sample(rows, users, seed)));
        }
        if (!protocol.equals("sampled")) {
            Path other = exclude != null ? InputFiles.readable("--exclude", exclude)
                    : file.resolveSibling(HeldOutFile.VALIDATION);
            Map<String, String> otherItem = new HashMap<>();
            if (Files.isReadable(other)) {
                for (HeldOutFile.Row r : HeldOutFile.read(other)) {
                    otherItem.put(r.user(), r.item());
                }
            }
            List<HeldOutFile.Row> fullRows = sample(rows, fullRankingUsers, seed);
            if (ranking.equals("compare")) {
                Full exact = full(stub, spec, fullRows, otherItem, Ranking.RANKING_EXACT);
                Full retrieved = full(stub, spec, fullRows, otherItem, Ranking.RANKING_RETRIEVAL);
                results.add(exact.result());
                results.add(retrieved.result());
                recall = recall(retrieved.tops(), exact.tops());
            } else {
                results.add(full(stub, spec, fullRows, otherItem, Rankings.parse(ranking)).result());
            }
        }
        for (Result r : results) {
            if (output.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("protocol", r.protocol());
                doc.put("k", k);
                doc.put("users", r.users());
                doc.put("ofUsers", ofUsers);
                doc.put("hitRate", r.hitRate());
                doc.put("ndcg", r.ndcg());
                doc.put("seconds", r.seconds());
                doc.put("model", r.model());
                doc.put("popularityFallbacks", r.fallbacks());
                if (r.rankedBy() != null) {
                    doc.put("rankedBy", r.rankedBy());
                }
                if (recall >= 0 && "retrieval".equals(r.rankedBy())) {
                    doc.put("recallAgainstExact", recall);
                }
                Output.json(out(), doc);
            } else {
                String who = r.users() == ofUsers ? Integer.toString(ofUsers)
                        : r.users() + " of " + ofUsers + " (seeded sample)";
                String how = r.rankedBy() == null ? "" : " (" + r.rankedBy() + (candidates > 0
                        && !r.rankedBy().equals("exact") ? ", C " + candidates : "") + ")";
                out().printf("%s%s: users %s, HR@%d %.6f, NDCG@%d %.6f, %.2f s (model %s%s)%n", r.protocol(), how, who,
                        k, r.hitRate(), k, r.ndcg(), r.seconds(), r.model(), r.fallbacks() == 0 ? ""
                                : String.format("; %d users unknown to the model got popular items", r.fallbacks()));
                out().flush();
            }
        }
        if (recall >= 0 && !output.json()) {
            out().printf("recall@%d of retrieval's top %d against the exact top %d: %.4f%n", k, k, k, recall);
        }
        return ExitCodes.OK;
    }

    /** Recall@K of the retrieved lists against the exact ones, pooled over users: shared items over exact items. */
    static double recall(List<List<String>> retrieved, List<List<String>> exact) {
        long shared = 0;
        long of = 0;
        for (int i = 0; i < exact.size(); i++) {
            java.util.Set<String> want = new java.util.HashSet<>(exact.get(i));
            of += want.size();
            for (String item : retrieved.get(i)) {
                shared += want.contains(item) ? 1 : 0;
            }
        }
        return of == 0 ? 1 : shared / (double) of;
    }

    /** Every row's candidates scored through Score, ranked by logit. */
    private Result sampled(RecommenderGrpc.RecommenderFutureStub stub, ModelSpec spec, List<HeldOutFile.Row> rows)
            throws Exception {
        long t0 = System.nanoTime();
        long total = 0;
        for (HeldOutFile.Row r : rows) {
            total += 1 + r.negatives().length;
        }
        Progress progress = new Progress(err(), "sampled: pairs", total);
        // rows go whole into calls of about pairsPerCall pairs
        List<int[]> calls = new ArrayList<>();
        int from = 0;
        int pairs = 0;
        for (int i = 0; i < rows.size(); i++) {
            pairs += 1 + rows.get(i).negatives().length;
            if (pairs >= pairsPerCall || i == rows.size() - 1) {
                calls.add(new int[] {from, i + 1});
                from = i + 1;
                pairs = 0;
            }
        }
        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(k);
        String[] answeredBy = {null};
        InFlight<ScoreResponse> inFlight = new InFlight<>(concurrency);
        for (int[] call : calls) {
            ScoreRequest.Builder req = ScoreRequest.newBuilder().setModel(spec);
            for (int i = call[0]; i < call[1]; i++) {
                HeldOutFile.Row r = rows.get(i);
                req.addUsers(r.user()).addItems(r.item());
                for (String neg : r.negatives()) {
                    req.addUsers(r.user()).addItems(neg);
                }
            }
            int pairCount = req.getUsersCount();
            ScoreRequest request = req.build();
            inFlight.submit(() -> connection.withDeadline(stub).score(request), response -> {
                        if (response.getLogitsCount() != pairCount) {
                            throw new IllegalStateException("the server sent " + response.getLogitsCount()
                                    + " logits for " + pairCount + " pairs (a server without logits in "
                                    + "ScoreResponse is too old for evaluate)");
                        }
                        int at = 0;
                        for (int i = call[0]; i < call[1]; i++) {
                            HeldOutFile.Row r = rows.get(i);
                            int n = r.negatives().length;
                            int[] candidates = new int[n];
                            Map<String, Integer> index = new HashMap<>();
                            index.put(r.item(), 0);
                            for (int j = 0; j < n; j++) {
                                candidates[j] = index.computeIfAbsent(r.negatives()[j], x -> index.size());
                            }
                            float[] logits = new float[n];
                            for (int j = 0; j < n; j++) {
                                logits[j] = response.getLogits(at + 1 + j);
                            }
                            acc.add(RankingMetrics.rank(0, response.getLogits(at), candidates, logits, 0));
                            at += 1 + n;
                        }
                        answeredBy[0] = ModelRef.describe(response.getModel());
                        progress.add(pairCount);
                    });
        }
        inFlight.awaitAll();
        progress.finish();
        return new Result("sampled", acc.count(), acc.hitRate(), acc.ndcg(), (System.nanoTime() - t0) / 1e9,
                answeredBy[0], 0, null);
    }

    /**
     * Every row's held-out item looked for in the user's top K over the whole catalogue, through Recommend ranked as
     * {@code how} asks.
     */
    private Full full(RecommenderGrpc.RecommenderFutureStub stub, ModelSpec spec, List<HeldOutFile.Row> rows,
                      Map<String, String> otherItem, Ranking how) throws Exception {
        long t0 = System.nanoTime();
        Progress progress = new Progress(err(), "full ranking: users", rows.size());
        List<List<String>> tops = new ArrayList<>();
        int[] byKind = new int[2]; // users ranked exactly, through retrieval
        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(k);
        String[] answeredBy = {null};
        int[] fallbacks = {0};
        InFlight<RecommendBatchResponse> inFlight = new InFlight<>(concurrency);
        for (int from = 0; from < rows.size(); from += usersPerCall) {
            int start = from;
            int end = Math.min(rows.size(), from + usersPerCall);
            RecommendBatchRequest.Builder req = RecommendBatchRequest.newBuilder();
            for (int i = start; i < end; i++) {
                HeldOutFile.Row r = rows.get(i);
                RecommendRequest.Builder one = RecommendRequest.newBuilder().setModel(spec).setUser(r.user()).setK(k)
                        .setRanking(how);
                if (how != Ranking.RANKING_EXACT) {
                    one.setRetrievalCandidates(candidates);
                }
                String other = otherItem.get(r.user());
                if (other != null && !other.equals(r.item())) {
                    one.addExclude(other);
                }
                req.addRequests(one);
            }
            RecommendBatchRequest request = req.build();
            inFlight.submit(() -> connection.withDeadline(stub).recommendBatch(request), response -> {
                        for (int i = start; i < end; i++) {
                            RecommendResponse one = response.getResponses(i - start);
                            if (one.getPopularityFallback()) {
                                fallbacks[0]++;
                            } else {
                                byKind[one.getRankedBy() == Ranking.RANKING_RETRIEVAL ? 1 : 0]++;
                            }
                            tops.add(one.getItemsList().stream().map(ScoredItem::getItem).toList());
                            int rank = k;
                            for (int j = 0; j < one.getItemsCount(); j++) {
                                if (one.getItems(j).getItem().equals(rows.get(i).item())) {
                                    rank = j;
                                    break;
                                }
                            }
                            acc.add(rank);
                            answeredBy[0] = ModelRef.describe(one.getModel());
                        }
                        progress.add(end - start);
                    });
        }
        inFlight.awaitAll();
        progress.finish();
        String rankedBy = byKind[1] == 0 ? "exact" : byKind[0] == 0 ? "retrieval" : "mixed";
        return new Full(new Result("full ranking", acc.count(), acc.hitRate(), acc.ndcg(),
                (System.nanoTime() - t0) / 1e9, answeredBy[0], fallbacks[0], rankedBy), tops);
    }
}
