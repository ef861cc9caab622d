package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ncf4j.api.inference.GRPCInferenceServiceGrpc;
import org.ncf4j.api.v1.ModelSpec;
import org.ncf4j.api.v1.Ranking;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ncf bench}: a closed-loop load test against a running server, with real user and item ids taken from a
 * copy of the bundle being served or from id files (a remote server needs no local bundle). Prints progress every
 * second and a summary with throughput and p50/p90/p99/p99.9/max.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load-tests a server with Recommend and Score calls and reports throughput and latency.")
public final class BenchCommand implements Callable<Integer> {
    /** The calls --mix can weigh, in the order their weights are laid out. */
    static final List<String> CALLS = List.of("recommend", "fallback", "score", "infer-score", "infer-topk",
            "recommend-batch");
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--bundle", paramLabel = "DIR", description = "A copy of the bundle the server serves: user and "
            + "item ids are drawn from it (or give --users and --items).")
    Path bundle;

    @Option(names = "--users", paramLabel = "FILE", description = "User ids to draw from, one per line (a bundle's "
            + "users.txt), when there is no local bundle.")
    Path usersFile;

    @Option(names = "--items", paramLabel = "FILE", description = "Item ids for Score calls, one per line (a "
            + "bundle's items.txt).")
    Path itemsFile;

    @Mixin
    ModelOption model;

    @Option(names = "--mix", description = "Calls and their weights, e.g. recommend=3,score=1; fallback=N sends "
            + "Recommend for users the model does not know (the popularity fallback, no model run); infer-score=N "
            + "and infer-topk=N send the Open Inference Protocol's ModelInfer for the same work as score and "
            + "recommend (on the model and its .topk form; give --model); recommend-batch=N sends RecommendBatch "
            + "of --batch-users users. A mix of several calls also prints each "
            + "one's throughput and latency, measured together (default: ${DEFAULT-VALUE}).",
            defaultValue = "recommend=1", split = ",")
    Map<String, Integer> mix;

    @Option(names = "--infer-contents", defaultValue = "raw", description = "How ModelInfer carries its tensors: raw "
            + "(as tritonclient sends them) or typed (default: ${DEFAULT-VALUE}).")
    String inferContents;

    @Option(names = "-k", description = "Items per Recommend (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int k;

    @Option(names = "--ranking", defaultValue = "default", description = "How Recommend ranks the catalogue: "
            + "default, exact or retrieval (default: ${DEFAULT-VALUE}).")
    String ranking;

    @Option(names = "--retrieval-candidates", paramLabel = "C", defaultValue = "0", description = "Retrieval's C "
            + "for Recommend (0: the server's) (default: ${DEFAULT-VALUE}).")
    int retrievalCandidates;

    private Ranking rankingAsked = Ranking.RANKING_DEFAULT;

    @Option(names = "--pairs", description = "Pairs per Score (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int pairs;

    @Option(names = "--batch-users", description = "Users per RecommendBatch (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int batchUsers;

    @Option(names = {"-c", "--concurrency"}, description = "Parallel callers (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int concurrency;

    @Option(names = {"-d", "--duration"}, description = "Measured seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    double duration;

    @Option(names = {"-n", "--requests"}, description = "Stop after this many measured calls (default: only the "
            + "duration bounds the run).", defaultValue = "0")
    long requests;

    @Option(names = "--warmup", description = "Unmeasured seconds first (default: ${DEFAULT-VALUE}).",
            defaultValue = "2")
    double warmup;

    @Option(names = "--rate", paramLabel = "CALLS_PER_S", split = ",", description = "Open loop: calls start at "
            + "this rate whatever the server answers, for -d seconds per rate, one phase per rate given (e.g. "
            + "--rate 100,200,400,100), after a closed-loop warm-up of -c callers; each phase reports offered and "
            + "OK calls/s, codes, and the latency of OK and of failed calls.")
    List<Double> rates;

    @Option(names = "--chart", paramLabel = "FILE", description = "Also draw the latencies as a PNG: a histogram and "
            + "latency by percentile.")
    Path chart;

    @Option(names = "--seed", description = "Seeds the choice of users and items (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    /** An observer of a unary call that completes {@code done} with null or the call's failure. */
    private static <T> StreamObserver<T> completes(Consumer<Throwable> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
            }

            @Override
            public void onError(Throwable t) {
                done.accept(t);
            }

            @Override
            public void onCompleted() {
                done.accept(null);
            }
        };
    }

    /** The phases of {@code --rate} after a closed-loop warm-up; exit 0 whatever the calls' codes. */
    private int openLoop(LoadGenerator.Call call, String name, java.io.PrintWriter out, java.io.PrintWriter err)
            throws InterruptedException {
        if (warmup > 0) {
            new LoadGenerator(concurrency, 0, warmup, 0).run(call, seed, line -> err.println("  warm-up: " + line));
        }
        List<OpenLoop.Phase> phases = new OpenLoop(rates, duration).run(call, seed, line -> err.println("  "
                + line));
        OpenLoop.print(out, name, phases);
        return 0;
    }

    @Override
    public Integer call() throws Exception {
        List<String> users;
        List<String> items;
        if (bundle != null) {
            // only the card (checked as the server checks it) and the ids: a large bundle's tables are not read (nor
            // hashed) for a load test
            Bundle.card(bundle, Bundle.MAX_FILE_BYTES);
            users = InputFiles.ids("--bundle", bundle.resolve(BundleFiles.USERS));
            items = InputFiles.ids("--bundle", bundle.resolve(BundleFiles.ITEMS));
        } else if (usersFile != null) {
            users = InputFiles.ids("--users", usersFile);
            items = itemsFile != null ? InputFiles.ids("--items", itemsFile) : List.of();
        } else {
            throw new UsageException("give --bundle DIR (a copy of the served bundle) or --users FILE (and --items "
                    + "FILE for Score calls) to draw ids from");
        }
        Map<String, Integer> weights = new LinkedHashMap<>(mix);
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            if (!CALLS.contains(e.getKey()) || e.getValue() < 1) {
                throw new IllegalArgumentException("--mix takes " + String.join("=N, ", CALLS) + "=N with N >= 1, "
                        + "got " + e.getKey() + "=" + e.getValue());
            }
        }
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int[] upTo = new int[CALLS.size()];
        for (int i = 0, sum = 0; i < CALLS.size(); i++) {
            sum += weights.getOrDefault(CALLS.get(i), 0);
            upTo[i] = sum;
        }
        if ((weights.containsKey("score") || weights.containsKey("infer-score")) && items.isEmpty()) {
            throw new UsageException("Score calls need item ids: give --items FILE");
        }
        boolean infers = weights.containsKey("infer-score") || weights.containsKey("infer-topk");
        if (infers && model.spec().getName().isEmpty()) {
            throw new UsageException("ModelInfer names its model: give --model NAME");
        }
        if (batchUsers < 1) {
            throw new UsageException("--batch-users must be at least 1, got " + batchUsers);
        }
        if (rates != null && rates.stream().anyMatch(r -> r == null || !(r > 0))) {
            throw new UsageException("--rate takes calls per second above 0, got " + rates);
        }
        if (!List.of("raw", "typed").contains(inferContents)) {
            throw new UsageException("--infer-contents takes raw or typed, got " + inferContents);
        }
        boolean raw = inferContents.equals("raw");
        rankingAsked = Rankings.parse(ranking);
        if (retrievalCandidates < 0) {
            throw new UsageException("--retrieval-candidates must be >= 0 (0: the server's), got "
                    + retrievalCandidates);
        }
        ManagedChannel channel = connection.openDirect();
        try {
            RecommenderGrpc.RecommenderStub stub = RecommenderGrpc.newStub(channel);
            GRPCInferenceServiceGrpc.GRPCInferenceServiceStub infer = GRPCInferenceServiceGrpc.newStub(channel);
            ModelSpec modelSpec = model.spec();
            String version = modelSpec.getVersion() == 0 ? "" : String.valueOf(modelSpec.getVersion());
            LoadGenerator.Call call = (random, done) -> {
                String user = users.get(random.nextInt(users.size()));
                int pick = random.nextInt(total);
                int which = 0;
                while (pick >= upTo[which]) {
                    which++;
                }
                String what = CALLS.get(which);
                switch (what) {
                    case "fallback" -> connection.withDeadline(stub).recommend(RecommendRequest.newBuilder()
                            .setModel(modelSpec).setUser("unknown-" + random.nextInt(1_000_000)).setK(k).build(),
                            completes(done.as(what)));
                    case "recommend" -> connection.withDeadline(stub).recommend(RecommendRequest.newBuilder()
                            .setModel(modelSpec).setUser(user).setK(k).setRanking(rankingAsked)
                            .setRetrievalCandidates(retrievalCandidates).build(), completes(done.as(what)));
                    case "recommend-batch" -> {
                        RecommendBatchRequest.Builder b = RecommendBatchRequest.newBuilder();
                        for (int u = 0; u < batchUsers; u++) {
                            b.addRequests(RecommendRequest.newBuilder().setModel(modelSpec)
                                    .setUser(u == 0 ? user : users.get(random.nextInt(users.size()))).setK(k)
                                    .setRanking(rankingAsked).setRetrievalCandidates(retrievalCandidates));
                        }
                        connection.withDeadline(stub).recommendBatch(b.build(), completes(done.as(what)));
                    }
                    case "infer-topk" -> connection.withDeadline(infer).modelInfer(InferRequests.topK(
                            modelSpec.getName(), version, List.of(user), k, ranking, retrievalCandidates, raw),
                            completes(done.as(what)));
                    default -> {
                        List<String> us = java.util.Collections.nCopies(pairs, user);
                        List<String> is = new java.util.ArrayList<>(pairs);
                        for (int p = 0; p < pairs; p++) {
                            is.add(items.get(random.nextInt(items.size())));
                        }
                        if (what.equals("score")) {
                            connection.withDeadline(stub).score(ScoreRequest.newBuilder().setModel(modelSpec)
                                    .addAllUsers(us).addAllItems(is).build(), completes(done.as(what)));
                        } else {
                            connection.withDeadline(infer).modelInfer(InferRequests.score(modelSpec.getName(),
                                    version, us, is, raw), completes(done.as(what)));
                        }
                    }
                }
            };
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            String name = String.format("%s (concurrency %d, k %d, %d pairs per Score)", weights, concurrency, k,
                    pairs);
            err.println("bench " + name + " against " + connection.target() + ": " + warmup + " s warm-up, "
                    + (rates != null ? rates.size() + " phases of " + duration + " s at " + rates + " calls/s"
                    : duration + " s measured" + (requests > 0 ? " or " + requests + " calls" : "")));
            if (rates != null) {
                return openLoop(call, name, out, err);
            }
            LoadGenerator.Result r = new LoadGenerator(concurrency, warmup, duration, requests)
                    .run(call, seed, line -> err.println("  " + line));
            LoadGenerator.print(out, name, r);
            if (chart != null) {
                if (r.calls() > 0) {
                    LatencyChart.write(String.join(" + ", weights.keySet()) + ", concurrency " + concurrency, r,
                            chart);
                    err.println("latency chart: " + chart);
                } else {
                    err.println("no successful calls, so no latency chart");
                }
            }
            return r.errors().isEmpty() ? 0 : 1;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
