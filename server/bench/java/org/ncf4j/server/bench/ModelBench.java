package org.ncf4j.server.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.data.Directories;
import org.ncf4j.server.batching.BatchSettings;
import org.ncf4j.server.batching.IoLoops;
import org.ncf4j.server.config.VersionPolicy;
import org.ncf4j.server.kernel.FusedRanker;
import org.ncf4j.server.kernel.KernelWarmUp;
import org.ncf4j.server.model.ModelLoader;
import org.ncf4j.server.onnxruntime.ExecutionProvider;
import org.ncf4j.server.onnxruntime.OnnxSessions;
import org.ncf4j.server.repository.ModelRepository;
import org.ncf4j.server.repository.RepositoryScanner;
import org.ncf4j.server.service.RecommendationService;

/**
 * In-process latencies of a bundle on ONNX Runtime (CPU, one intra-op thread), the cases interleaved call by call
 * so that they see the same machine: the ranking graph for one user (seen items excluded, k = 10); a whole
 * Recommend through the server's service on the calling thread (everything but gRPC); naively scoring every item
 * for one user with the pair-scoring graph; and scoring 100 pairs with that graph and with the fused kernel (what
 * the server's Score uses when it ranks with that kernel). Arguments: BUNDLE_DIR [SECONDS=10]. Run with
 * {@code server/bench/model.sh}.
 */
public final class ModelBench {
    private ModelBench() {
    }

    @FunctionalInterface
    private interface Case {
        void run(int user) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path bundleDir = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Bundle bundle = Bundle.read(bundleDir);
        ExecutionProvider.Choice cpu = ExecutionProvider.choose("cpu", 0, (o, d) -> { });
        int numItems = bundle.items().size();
        long[] allItems = new long[numItems];
        for (int i = 0; i < numItems; i++) {
            allItems[i] = i;
        }
        Path repo = Files.createTempDirectory("ncf-model-bench");
        Files.createDirectories(repo.resolve("bench"));
        Files.createSymbolicLink(repo.resolve("bench/1"), bundleDir.toAbsolutePath());
        BatchSettings batching = new BatchSettings(64, 0, 1024, 2, BatchSettings.MAX_INLINE_NANOS);
        ModelLoader loader = new ModelLoader(cpu, new ModelLoader.Settings(1, Bundle.MAX_FILE_BYTES, 256L << 20,
                batching, new BatchSettings(10_000, 0, 1024, 2, BatchSettings.MAX_INLINE_NANOS)),
                new KernelWarmUp(KernelWarmUp.MAX_NANOS), IoLoops.NONE, (call, n, t, d, i) -> { });
        ModelRepository repository = new ModelRepository(new RepositoryScanner(repo)::scan, loader,
                VersionPolicy.parse("latest:1"), "", List.of());
        repository.scan(null, false);
        RecommendationService service = new RecommendationService(repository,
                new RecommendationService.Limits(100_000, 10_000, true));
        try (OnnxSessions onnx = OnnxSessions.open(bundle, cpu, 1)) {
            FusedRanker fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(), new StringBuilder()).orElseThrow();
            List<String> names = List.of("rank graph, one user, seen excluded, k=10",
                    "fused ranker (Java), one user, seen excluded, k=10",
                    "Recommend through the service, in-process (no gRPC)",
                    "naive: score all " + numItems + " items of one user (scoring graph)",
                    "Score 100 pairs (scoring graph)",
                    "Score 100 pairs (fused kernel, Java)");
            List<Case> cases = List.of(
                    user -> onnx.rank(new long[] {user}, excludeSeen(bundle, user), 10),
                    user -> fused.rank(new long[] {user}, excludeSeen(bundle, user), 10),
                    user -> service.recommend("", 0, new RecommendationService.Query(bundle.users().id(user), 10,
                            false, List.of(), List.of()), Long.MAX_VALUE).join(),
                    user -> {
                        long[] users = new long[numItems];
                        Arrays.fill(users, user);
                        onnx.score(users, allItems);
                    },
                    user -> onnx.score(hundredOf(user), hundredItems(user, numItems)),
                    user -> fused.score(hundredOf(user), hundredItems(user, numItems)));
            List<List<Long>> times = new ArrayList<>();
            cases.forEach(c -> times.add(new ArrayList<>()));
            SplittableRandom random = new SplittableRandom(1);
            int users = bundle.users().size();
            long warmEnd = System.nanoTime() + 3_000_000_000L;
            long end = warmEnd + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                boolean measured = System.nanoTime() > warmEnd;
                for (int c = 0; c < cases.size(); c++) {
                    int user = random.nextInt(users);
                    long t0 = System.nanoTime();
                    cases.get(c).run(user);
                    if (measured) {
                        times.get(c).add(System.nanoTime() - t0);
                    }
                }
            }
            for (int c = 0; c < cases.size(); c++) {
                long[] t = times.get(c).stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("%-62s p50 %.3f ms, p99 %.3f ms (%,d calls)%n", names.get(c) + ":",
                        t[t.length / 2] / 1e6, t[(int) (t.length * 0.99)] / 1e6, t.length);
            }
        } finally {
            repository.close();
            Directories.deleteTree(repo);
        }
    }

    private static long[] hundredOf(long user) {
        long[] users = new long[100];
        Arrays.fill(users, user);
        return users;
    }

    /** 100 items spread over the catalogue, differing from user to user. */
    private static long[] hundredItems(long user, int numItems) {
        long[] items = new long[100];
        for (int i = 0; i < 100; i++) {
            items[i] = (user * 31L + i * 7L) % numItems;
        }
        return items;
    }

    /** The seen items of each user as (row, item) pairs, row being the user's place in {@code users}. */
    static long[] excludeSeen(Bundle bundle, long... users) {
        return java.util.stream.IntStream.range(0, users.length).boxed().flatMapToLong(row -> Arrays.stream(
                bundle.seen().items((int) users[row])).asLongStream().flatMap(i -> java.util.stream.LongStream.of(row,
                i))).toArray();
    }
}
