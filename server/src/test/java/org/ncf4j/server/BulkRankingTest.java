package org.ncf4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ncf4j.api.v1.RecommendBatchRequest;
import org.ncf4j.api.v1.RecommendBatchResponse;
import org.ncf4j.api.v1.RecommendRequest;
import org.ncf4j.api.v1.RecommenderGrpc;

/**
 * With runs of two users, a RecommendBatch is queued in parts of 16 users, the next once the last is ranked: a
 * small batch from the I/O thread and a large one from the blocking executor are answered in order, each user as
 * if alone.
 */
@MicronautTest
class BulkRankingTest extends ServerTestBase {
    @Override
    protected TestServers.Setup createServer() {
        return TestServers.create(true, Map.of("ncf.max-batch-size", "2"));
    }

    @Test
    void aBatchInManyPartsIsAnsweredInOrderAsIfEachUserWereAlone() {
        var stub = RecommenderGrpc.newBlockingStub(channel);
        for (int users : new int[] {40, 150}) { // on the I/O thread (at most 64 requests), then off it
            RecommendBatchRequest.Builder b = RecommendBatchRequest.newBuilder();
            for (int i = 0; i < users; i++) {
                b.addRequests(RecommendRequest.newBuilder().setUser("u" + i % TestBundles.USERS).setK(1 + i % 4));
            }
            RecommendBatchResponse all = stub.recommendBatch(b.build());
            assertEquals(users, all.getResponsesCount());
            for (int i = 0; i < users; i++) {
                assertEquals(stub.recommend(b.getRequests(i)).getItemsList(), all.getResponses(i).getItemsList(),
                        users + " users, user " + i);
            }
        }
    }
}
