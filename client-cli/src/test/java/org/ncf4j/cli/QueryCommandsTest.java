package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ncf4j.bundle.Bundle;

/** Every query and admin command against a real server, tables and JSON, and the errors a caller can hit. */
class QueryCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static Bundle bundle;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("ncf.popularity-fallback", true));
        bundle = Bundle.read(server.bundle);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Cli ncf(String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--target";
        all[2] = server.target();
        System.arraycopy(args, 0, all, 3, args.length);
        return Cli.run(all);
    }

    @Test
    void recommendAsksForRetrievalAndSaysHowItWasRanked() throws Exception {
        Cli exact = ncf("recommend", "u3", "-k", "5", "--ranking", "exact");
        Cli retrieved = ncf("recommend", "u3", "-k", "5", "--ranking", "retrieval", "--retrieval-candidates",
                Integer.toString(TestServer.SHAPE.numItems()));
        assertEquals(0, retrieved.code(), retrieved.toString());
        assertTrue(retrieved.out().startsWith("user u3, model demo version 1, ranked through retrieval\n"),
                retrieved.out());
        // every item a candidate: the exact ranking's items and scores
        assertEquals(exact.out().lines().skip(1).toList(), retrieved.out().lines().skip(1).toList());
        JsonNode doc = JSON.readTree(ncf("recommend", "u3", "-k", "5", "--ranking", "retrieval", "--json").out());
        assertEquals("retrieval", doc.get("rankedBy").asText());
        Cli bad = ncf("recommend", "u3", "--ranking", "fast");
        assertEquals(ExitCodes.USAGE, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--ranking is default, exact or retrieval, got 'fast'"), bad.err());
        Cli both = ncf("recommend", "u3", "--ranking", "exact", "--retrieval-candidates", "5");
        assertEquals(ExitCodes.SERVER_ERROR, both.code(), both.toString());
        assertTrue(both.err().contains("INVALID_ARGUMENT"), both.err());
    }

    @Test
    void recallComparesRetrievalWithTheExactRankingForEachC() throws Exception {
        Path users = server.dir.resolve("recall-users.txt");
        Files.write(users, List.of("u1", "u2", "u3", "u4", "u5", "u6"));
        Cli c = ncf("recall", "--users", users.toString(), "-n", "6", "-k", "4", "--retrieval-candidates",
                TestServer.SHAPE.numItems() + ",4", "--json");
        assertEquals(0, c.code(), c.toString());
        JsonNode doc = JSON.readTree(c.out());
        assertEquals(6, doc.get("users").asInt());
        JsonNode all = doc.get("results").get(0);
        assertEquals(TestServer.SHAPE.numItems(), all.get("candidates").asInt());
        assertEquals(1.0, all.get("recall").asDouble(), 1e-12, "every item a candidate finds the exact top 4");
        double few = doc.get("results").get(1).get("recall").asDouble();
        assertTrue(few >= 0 && few <= 1, c.out());
        Cli table = ncf("recall", "--users", users.toString(), "-n", "3");
        assertTrue(table.out().startsWith("3 users, K 10: exact "), table.out());
        assertTrue(table.out().contains("recall@10"), table.out());
        Cli noUsers = ncf("recall");
        assertEquals(ExitCodes.USAGE, noUsers.code(), noUsers.toString());
        Cli negative = ncf("recall", "--users", users.toString(), "--retrieval-candidates", "-3");
        assertEquals(ExitCodes.USAGE, negative.code(), negative.toString());
    }

    @Test
    void recommendPrintsRankItemAndScoreAndAgreesWithScore() throws Exception {
        Cli table = ncf("recommend", "u3", "-k", "5");
        assertEquals(0, table.code(), table.toString());
        assertTrue(table.out().startsWith("user u3, model demo version 1, ranked exactly\n"), table.out());
        assertTrue(table.out().contains("rank  item  score"), table.out());
        Cli json = ncf("recommend", "u3", "-k", "5", "--json");
        // keys keep one order, so that scripts can compare outputs as text
        assertTrue(json.out().startsWith("{\"user\":\"u3\",\"model\":\"demo\",\"version\":1,"), json.out());
        assertTrue(json.out().contains("\"items\":[{\"rank\":1,\"item\":"), json.out());
        JsonNode doc = JSON.readTree(json.out());
        assertEquals("demo", doc.get("model").asText());
        assertEquals(1, doc.get("version").asLong());
        assertFalse(doc.get("popularityFallback").asBoolean());
        JsonNode items = doc.get("items");
        assertEquals(5, items.size());
        int user = bundle.users().indexOf("u3");
        String[] pairs = new String[5];
        for (int i = 0; i < 5; i++) {
            String item = items.get(i).get("item").asText();
            assertEquals(i + 1, items.get(i).get("rank").asInt());
            assertFalse(bundle.seen().contains(user, bundle.items().indexOf(item)), "a seen item: " + item);
            assertTrue(table.out().contains(item), "the table lists " + item);
            pairs[i] = "u3:" + item;
        }
        // the same pairs through score: the same probabilities, in input order
        String[] args = new String[pairs.length + 1];
        System.arraycopy(pairs, 0, args, 0, pairs.length);
        args[pairs.length] = "--json";
        Cli scored = ncf("score", args);
        assertEquals(0, scored.code(), scored.toString());
        String[] lines = scored.out().strip().split("\n");
        assertEquals(5, lines.length);
        for (int i = 0; i < 5; i++) {
            JsonNode s = JSON.readTree(lines[i]);
            assertEquals(items.get(i).get("item").asText(), s.get("item").asText());
            assertEquals(items.get(i).get("score").asDouble(), s.get("score").asDouble(), 1e-6);
            assertEquals(s.get("score").asDouble(), 1 / (1 + Math.exp(-s.get("logit").asDouble())), 1e-6);
        }
    }

    @Test
    void recommendTakesCandidatesExclusionsSeenItemsAndAModelVersion() throws Exception {
        Cli c = ncf("recommend", "u1", "-k", "2", "--candidates", "i1,i2,i3", "--exclude", "i2", "--model", "demo:1",
                "--include-seen", "--json");
        assertEquals(0, c.code(), c.toString());
        JsonNode items = JSON.readTree(c.out()).get("items");
        assertEquals(2, items.size());
        for (JsonNode i : items) {
            assertTrue(List.of("i1", "i3").contains(i.get("item").asText()), c.out());
        }
    }

    @Test
    void anUnknownUserGetsTheFallbackFlagged() throws Exception {
        Cli c = ncf("recommend", "nobody", "-k", "3");
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.out().contains("popularity fallback"), c.out());
        assertTrue(JSON.readTree(ncf("recommend", "nobody", "--json").out()).get("popularityFallback").asBoolean());
    }

    @Test
    void scoreReadsPairsFromAFileInInputOrder() throws Exception {
        Path file = server.dir.resolve("pairs.csv");
        Files.writeString(file, "user,item\nu0,i1\nu5,i7\nu0,i1\n", StandardCharsets.UTF_8);
        Cli c = ncf("score", "--file", file.toString(), "--chunk", "2");
        assertEquals(0, c.code(), c.toString());
        String[] lines = c.out().strip().split("\n");
        assertEquals(4, lines.length, c.out());
        assertTrue(lines[1].startsWith("u0    i1") && lines[2].startsWith("u5    i7"), c.out());
        assertEquals(lines[1], lines[3]);
    }

    @Test
    void batchWritesCsvAndJsonLinesForEveryUser() throws Exception {
        Path users = server.dir.resolve("users.txt");
        Files.writeString(users, "u0\nu1\nnobody\nu2\n", StandardCharsets.UTF_8);
        Path csv = server.dir.resolve("recs.csv");
        Cli c = ncf("batch", "--users", users.toString(), "-k", "3", "--chunk", "3", "-o", csv.toString());
        assertEquals(0, c.code(), c.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("user,rank,item,score,fallback", lines.get(0));
        assertEquals(1 + 4 * 3, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("u0,1,"), lines.get(1));
        assertTrue(lines.get(7).startsWith("nobody,1,") && lines.get(7).endsWith(",true"), lines.get(7));
        assertFalse(Files.exists(server.dir.resolve("recs.csv.tmp")));
        assertTrue(c.err().contains("4 users, k 3, from model demo version 1"), c.err());
        Cli json = ncf("batch", "--users", users.toString(), "-k", "2", "--json");
        String[] docs = json.out().strip().split("\n");
        assertEquals(4, docs.length, json.out());
        assertEquals("u2", JSON.readTree(docs[3]).get("user").asText());
        assertEquals(2, JSON.readTree(docs[3]).get("items").size());
    }

    @Test
    void modelsInfoAndReloadDescribeTheRepository() throws Exception {
        Cli models = ncf("models");
        assertEquals(0, models.code(), models.toString());
        assertTrue(models.out().contains("model  loaded  available  failed"), models.out());
        assertTrue(models.out().strip().split("\n")[1].matches("demo +1 +- +-"), models.out());
        JsonNode doc = JSON.readTree(ncf("models", "--json").out());
        assertEquals(1, doc.get("models").get(0).get("loaded").get(0).asInt());
        Cli info = ncf("info", "demo:1", "--json");
        assertEquals(0, info.code(), info.toString());
        JsonNode i = JSON.readTree(info.out());
        assertEquals("neumf", i.get("variant").asText());
        assertEquals(40, i.get("users").asInt());
        assertEquals("cpu", i.get("executionProvider").asText());
        assertTrue(ncf("info").out().contains("variant"), "a table by default");
        Cli reload = ncf("reload");
        assertEquals(0, reload.code(), reload.toString());
        assertTrue(reload.out().contains("demo"), reload.out());
    }

    @Test
    void healthSaysServing() throws Exception {
        Cli c = ncf("health");
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.out().strip().endsWith("server: SERVING"), c.out());
        Cli service = ncf("health", "--service", "ncf.v1.Recommender", "--json");
        assertEquals("SERVING", JSON.readTree(service.out()).get("status").asText());
        Cli unknown = ncf("health", "--service", "no.such.Service");
        assertEquals(1, unknown.code(), unknown.toString());
        assertTrue(unknown.message().startsWith("ncf: NOT_FOUND"), unknown.message());
    }

    @Test
    void serverErrorsExitOneWithTheStatusAndDescription() {
        Cli unknownModel = ncf("recommend", "u1", "--model", "nope");
        assertEquals(1, unknownModel.code(), unknownModel.toString());
        assertTrue(unknownModel.message().startsWith("ncf: NOT_FOUND: "), unknownModel.message());
        assertTrue(unknownModel.message().contains("nope"), unknownModel.message());
        Cli badK = ncf("recommend", "u1", "-k", "0");
        assertEquals(1, badK.code(), badK.toString());
        assertTrue(badK.message().startsWith("ncf: INVALID_ARGUMENT: "), badK.message());
        Cli unknownItem = ncf("score", "u1:nothing");
        assertEquals(1, unknownItem.code(), unknownItem.toString());
        assertTrue(unknownItem.message().startsWith("ncf: INVALID_ARGUMENT: "), unknownItem.message());
        Cli version = ncf("info", "demo:9");
        assertEquals(1, version.code(), version.toString());
        assertTrue(version.message().startsWith("ncf: NOT_FOUND: "), version.message());
        String longId = "x".repeat(100_000);
        Cli bounded = ncf("score", "u1:" + longId);
        assertEquals(1, bounded.code(), bounded.toString());
        assertTrue(bounded.message().length() < 300, bounded.message());
        for (Cli c : List.of(unknownModel, badK, unknownItem, version, bounded)) {
            assertFalse(c.err().contains("\tat "), "no stack trace: " + c.err());
        }
    }
}
