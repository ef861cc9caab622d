package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommendResponse;
import org.ncf4j.api.v1.RecommenderGrpc;
import org.ncf4j.api.v1.ScoreRequest;
import org.ncf4j.api.v1.ScoreResponse;

/**
 * The Open Inference Protocol's REST routes, called with curl as a user would: health, metadata, inference equal to
 * ncf.v1 over gRPC (scores to the float), and the HTTP status and error body of bad requests.
 */
@MicronautTest
class RestInferenceTest extends ServerTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private String base;
    private RecommenderGrpc.RecommenderBlockingStub ncf;

    @Override
    protected TestServers.Setup createServer() {
        TestServers.Setup setup = TestServers.create(true, Map.of());
        base = "http://127.0.0.1:" + setup.properties().get("micronaut.server.port");
        ncf = RecommenderGrpc.newBlockingStub(setup.channel());
        return setup;
    }

    /** The status and body of a curl call ({@code body} null: GET). */
    private record Reply(int status, JsonNode body) {
    }

    private Reply curl(String path, String body) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}", base + path));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        int cut = out.lastIndexOf('\n');
        return new Reply(Integer.parseInt(out.substring(cut + 1).strip()), JSON.readTree(out.substring(0, cut)));
    }

    @Test
    void healthAndMetadataAnswerAsTheSpecificationSays() throws Exception {
        Reply server = curl("/v2", null);
        assertEquals(200, server.status());
        assertEquals("ncf4j", server.body().get("name").asText());
        assertEquals("[\"model_configuration\"]", server.body().get("extensions").toString());
        assertEquals(200, curl("/v2/health/live", null).status());
        assertTrue(curl("/v2/health/ready", null).body().get("ready").asBoolean());
        assertEquals(200, curl("/v2/models/demo/ready", null).status());
        assertEquals(200, curl("/v2/models/demo.topk/versions/1/ready", null).status());
        assertEquals(503, curl("/v2/models/demo/versions/4/ready", null).status());
        assertEquals(404, curl("/v2/models/nope/ready", null).status());
        JsonNode meta = curl("/v2/models/demo.topk", null).body();
        assertEquals("{\"name\":\"demo.topk\",\"versions\":[\"1\"],\"platform\":\"onnx_onnxv1\",\"inputs\":[{\"name\":"
                + "\"user\",\"datatype\":\"BYTES\",\"shape\":[-1]},{\"name\":\"k\",\"datatype\":\"INT32\",\"shape\":[1]}],"
                + "\"outputs\":[{\"name\":\"items\",\"datatype\":\"BYTES\",\"shape\":[-1,-1]},{\"name\":\"scores\","
                + "\"datatype\":\"FP32\",\"shape\":[-1,-1]}]}", meta.toString());
        assertEquals("{\"name\":\"demo.topk\",\"platform\":\"onnx_onnxv1\",\"backend\":\"ncf4j\",\"max_batch_size\":0,"
                + "\"input\":[{\"name\":\"user\",\"data_type\":\"TYPE_STRING\",\"dims\":[-1],\"optional\":false},"
                + "{\"name\":\"k\",\"data_type\":\"TYPE_INT32\",\"dims\":[1],\"optional\":true}],\"output\":[{\"name\":"
                + "\"items\",\"data_type\":\"TYPE_STRING\",\"dims\":[-1,-1]},{\"name\":\"scores\",\"data_type\":"
                + "\"TYPE_FP32\",\"dims\":[-1,-1]}]}", curl("/v2/models/demo.topk/config", null).body().toString());
        assertEquals(200, curl("/v2/models/demo/versions/1/config", null).status());
        assertEquals(404, curl("/v2/models/nope/config", null).status());
        Reply unknown = curl("/v2/models/nope", null);
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().get("error").asText().contains("unknown model 'nope'"), unknown.body().toString());
    }

    @Test
    void inferenceGivesWhatNcfV1Gives() throws Exception {
        Reply r = curl("/v2/models/demo/versions/1/infer", "{\"id\":\"r1\",\"inputs\":[{\"name\":\"user\",\"shape\":[3],"
                + "\"datatype\":\"BYTES\",\"data\":[\"u1\",\"u8\",\"u1\"]},{\"name\":\"item\",\"shape\":[3],"
                + "\"datatype\":\"BYTES\",\"data\":[\"i2\",\"i9\",\"i20\"]}],\"outputs\":[{\"name\":\"score\"}]}");
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("r1", r.body().get("id").asText());
        assertEquals("1", r.body().get("model_version").asText());
        assertEquals(1, r.body().get("outputs").size());
        ScoreResponse v1 = ncf.score(ScoreRequest.newBuilder().addAllUsers(List.of("u1", "u8", "u1"))
                .addAllItems(List.of("i2", "i9", "i20")).build());
        JsonNode data = r.body().get("outputs").get(0).get("data");
        for (int i = 0; i < 3; i++) {
            assertEquals(v1.getScores(i), (float) data.get(i).asDouble(), "pair " + i);
        }
        Reply top = curl("/v2/models/demo.topk/infer", "{\"parameters\":{\"k\":3},\"inputs\":[{\"name\":\"user\","
                + "\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[[\"u2\"],[\"u30\"]]}]}");
        assertEquals(200, top.status(), top.body().toString());
        assertEquals("[2,3]", top.body().get("outputs").get(0).get("shape").toString());
        for (int b = 0; b < 2; b++) {
            RecommendResponse rec = ncf.recommend(RecommendRequest.newBuilder().setUser(b == 0 ? "u2" : "u30").setK(3)
                    .build());
            for (int j = 0; j < 3; j++) {
                assertEquals(rec.getItems(j).getItem(), top.body().get("outputs").get(0).get("data").get(3 * b + j)
                        .asText());
                assertEquals(rec.getItems(j).getScore(), (float) top.body().get("outputs").get(1).get("data")
                        .get(3 * b + j).asDouble());
            }
        }
    }

    @Test
    void badRequestsGetTheirStatusAndAnError() throws Exception {
        String pair = "{\"name\":\"item\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"i1\"]}";
        Map<String, Integer> cases = Map.of(
                "not json", 400,
                "{\"inputs\":[{\"name\":\"user\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.0]}," + pair + "]}", 400,
                "{\"inputs\":[{\"name\":\"user\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"u1\"]}," + pair + "]}", 400,
                "{\"inputs\":[{\"name\":\"user\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[7]}," + pair + "]}", 400,
                "{\"inputs\":[{\"name\":\"user\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"who\"]}," + pair + "]}",
                404);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            Reply r = curl("/v2/models/demo/infer", c.getKey());
            assertEquals(c.getValue(), r.status(), c.getKey() + " -> " + r.body());
            assertTrue(r.body().get("error").asText().length() > 10, r.body().toString());
        }
        Reply noInputs = curl("/v2/models/demo/infer", "{}");
        assertEquals(400, noInputs.status());
        assertTrue(noInputs.body().get("error").asText().contains("\"inputs\""), noInputs.body().toString());
        Reply noDatatype = curl("/v2/models/demo/infer", "{\"inputs\":[{\"name\":\"user\",\"shape\":[1],"
                + "\"data\":[\"u1\"]}]}");
        assertEquals(400, noDatatype.status());
        assertTrue(noDatatype.body().get("error").asText().contains("\"datatype\""), noDatatype.body().toString());
        Reply badParameter = curl("/v2/models/demo.topk/infer", "{\"parameters\":{\"k\":\"five\"},\"inputs\":"
                + "[{\"name\":\"user\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"u1\"]}]}");
        assertEquals(400, badParameter.status());
        assertTrue(badParameter.body().get("error").asText().contains("parameter 'k'"), badParameter.body().toString());
        assertEquals(404, curl("/v2/models/demo/versions/9/infer", "{\"inputs\":[]}").status());
        assertEquals(404, curl("/v2/models/nope/infer", "{\"inputs\":[]}").status());
    }
}
