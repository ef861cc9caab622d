package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.data.EvalSet;
import org.ncf4j.data.HeldOutFile;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.eval.UserSample;

/**
 * {@code ncf evaluate} gives the metrics computed here from the served model's own logits, with the trainer's
 * metric code: sampled (each held-out item against its negatives) and full ranking (against every unseen item,
 * the other held-out item left out).
 */
class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static Bundle bundle;
    private static Path test;
    private static Path validation;
    private static EvalSet testSet;
    private static EvalSet validationSet;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of());
        bundle = Bundle.read(server.bundle);
        SplittableRandom random = new SplittableRandom(3);
        testSet = heldOut(random);
        validationSet = heldOut(random);
        test = server.dir.resolve("run/test.negative");
        validation = server.dir.resolve("run/validation.negative");
        Files.createDirectories(test.getParent());
        HeldOutFile.write(test, testSet, bundle.users(), bundle.items());
        HeldOutFile.write(validation, validationSet, bundle.users(), bundle.items());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Per user: an unseen item held out, and 8 unseen negatives. */
    private static EvalSet heldOut(SplittableRandom random) {
        int users = bundle.users().size();
        int items = bundle.items().size();
        int[] u = new int[users];
        int[] pos = new int[users];
        int[][] neg = new int[users][];
        for (int i = 0; i < users; i++) {
            u[i] = i;
            List<Integer> unseen = new ArrayList<>();
            for (int j = 0; j < items; j++) {
                if (!bundle.seen().contains(i, j)) {
                    unseen.add(j);
                }
            }
            pos[i] = unseen.get(random.nextInt(unseen.size()));
            neg[i] = new int[8];
            for (int j = 0; j < 8; j++) {
                neg[i][j] = unseen.get(random.nextInt(unseen.size()));
            }
        }
        return new EvalSet(u, pos, neg);
    }

    private static float[] logits(RecommenderGrpc.RecommenderBlockingStub stub, int user, int[] items) {
        ScoreRequest.Builder r = ScoreRequest.newBuilder();
        for (int item : items) {
            r.addUsers(bundle.users().id(user)).addItems(bundle.items().id(item));
        }
        ScoreResponse s = stub.score(r.build());
        float[] out = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = s.getLogits(i);
        }
        return out;
    }

    @Test
    void sampledAndFullRankingMetricsMatchTheModelsOwnLogits() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(server.target()).usePlaintext().build();
        RankingMetrics.Accumulator sampled = new RankingMetrics.Accumulator(5);
        RankingMetrics.Accumulator full = new RankingMetrics.Accumulator(5);
        int[] ranks = new int[testSet.size()];
        try {
            var stub = RecommenderGrpc.newBlockingStub(channel);
            int[] all = new int[bundle.items().size()];
            Arrays.setAll(all, j -> j);
            for (int i = 0; i < testSet.size(); i++) {
                int user = testSet.users()[i];
                int[] candidates = new int[1 + testSet.negatives(i).length];
                candidates[0] = testSet.positives()[i];
                System.arraycopy(testSet.negatives(i), 0, candidates, 1, candidates.length - 1);
                float[] l = logits(stub, user, candidates);
                ranks[i] = RankingMetrics.rank(candidates[0], l[0], testSet.negatives(i), l, 1);
                sampled.add(ranks[i]);
                int[] excluded = Arrays.copyOf(bundle.seen().items(user), bundle.seen().items(user).length + 1);
                excluded[excluded.length - 1] = validationSet.positives()[i];
                Arrays.sort(excluded);
                if (validationSet.positives()[i] == testSet.positives()[i]) {
                    excluded = bundle.seen().items(user);
                }
                full.add(RankingMetrics.fullRank(logits(stub, user, all), testSet.positives()[i], excluded));
            }
        } finally {
            channel.shutdownNow();
        }
        // the run folder: test.negative, with validation.negative beside it left out of full ranking
        Cli c = Cli.run("evaluate", test.getParent().toString(), "--protocol", "both", "-k", "5", "--target",
                server.target(), "--json", "--pairs-per-call", "50", "--users-per-call", "7", "-c", "3");
        assertEquals(0, c.code(), c.toString());
        String[] lines = c.out().strip().split("\n");
        JsonNode s = JSON.readTree(lines[0]);
        JsonNode f = JSON.readTree(lines[1]);
        assertEquals("sampled", s.get("protocol").asText());
        assertEquals(40, s.get("users").asInt());
        assertEquals(sampled.hitRate(), s.get("hitRate").asDouble(), 1e-12);
        assertEquals(sampled.ndcg(), s.get("ndcg").asDouble(), 1e-12);
        assertEquals("full ranking", f.get("protocol").asText());
        assertEquals(full.hitRate(), f.get("hitRate").asDouble(), 1e-12);
        assertEquals(full.ndcg(), f.get("ndcg").asDouble(), 1e-12);
        assertTrue(full.hitRate() > 0 && full.hitRate() < 1, "a test that can tell: HR " + full.hitRate());
        assertEquals("exact", f.get("rankedBy").asText());
        // exact and through retrieval on the same users: every item a candidate gives the same figures, recall 1
        Cli compare = Cli.run("evaluate", test.getParent().toString(), "--protocol", "full", "-k", "5", "--ranking",
                "compare", "--retrieval-candidates", Integer.toString(bundle.items().size()), "--target",
                server.target(), "--json");
        assertEquals(0, compare.code(), compare.toString());
        String[] both = compare.out().strip().split("\n");
        JsonNode exact = JSON.readTree(both[0]);
        JsonNode retrieved = JSON.readTree(both[1]);
        assertEquals("exact", exact.get("rankedBy").asText());
        assertEquals("retrieval", retrieved.get("rankedBy").asText());
        assertEquals(full.hitRate(), retrieved.get("hitRate").asDouble(), 1e-12);
        assertEquals(full.ndcg(), retrieved.get("ndcg").asDouble(), 1e-12);
        assertEquals(1.0, retrieved.get("recallAgainstExact").asDouble(), 1e-12);
        Cli few = Cli.run("evaluate", test.getParent().toString(), "--protocol", "full", "-k", "5", "--ranking",
                "compare", "--retrieval-candidates", "5", "--target", server.target());
        assertTrue(few.out().contains("full ranking (exact): users 40, HR@5 "), few.out());
        assertTrue(few.out().contains("full ranking (retrieval, C 5): users 40, HR@5 "), few.out());
        assertTrue(few.out().contains("recall@5 of retrieval's top 5 against the exact top 5: "), few.out());
        Cli badRanking = Cli.run("evaluate", test.toString(), "--ranking", "fast", "--target", server.target());
        assertEquals(ExitCodes.USAGE, badRanking.code(), badRanking.toString());
        Cli exactWithC = Cli.run("evaluate", test.toString(), "--ranking", "exact", "--retrieval-candidates", "5",
                "--target", server.target());
        assertEquals(ExitCodes.USAGE, exactWithC.code(), exactWithC.toString());

        Cli table = Cli.run("evaluate", test.toString(), "-k", "5", "--target", server.target());
        assertTrue(table.out().startsWith("sampled: users 40, HR@5 "), table.out());
        assertTrue(table.err().contains("sampled: pairs ["), "a progress bar: " + table.err());

        // a seeded sample of users: the trainer's (UserSample), and said so
        long[] keys = new long[testSet.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = UserSample.key(bundle.users().id(testSet.users()[i]), 3);
        }
        RankingMetrics.Accumulator some = new RankingMetrics.Accumulator(5);
        for (int i : UserSample.choose(keys, 10)) {
            some.add(ranks[i]);
        }
        Cli sample = Cli.run("evaluate", test.toString(), "-k", "5", "--users", "10", "--seed", "3", "--json",
                "--target", server.target());
        JsonNode one = JSON.readTree(sample.out().strip());
        assertEquals(10, one.get("users").asInt());
        assertEquals(40, one.get("ofUsers").asInt());
        assertEquals(some.hitRate(), one.get("hitRate").asDouble(), 1e-12);
        assertEquals(some.ndcg(), one.get("ndcg").asDouble(), 1e-12);
        Cli text = Cli.run("evaluate", test.toString(), "-k", "5", "--users", "10", "--target", server.target());
        assertTrue(text.out().startsWith("sampled: users 10 of 40 (seeded sample), HR@5 "), text.out());
    }
}
