package org.ncf4j.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.Sha256;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.server.TestBundles;
import org.ncf4j.server.batching.BatchSettings;
import org.ncf4j.server.batching.IoLoops;
import org.ncf4j.server.compute.PairScores;
import org.ncf4j.server.config.RankingKernel;
import org.slf4j.LoggerFactory;

class ModelLoaderTest {
    private static BundleCard card(int items, List<Integer> layers) {
        return new BundleCard(1, "neumf", 8, layers, 10, items, Map.of(), Map.of(), Map.of(), "", "", Map.of(),
                Map.of());
    }

    @Test
    void rankingChunksKeepBatchTimesWidthTimesItemsUnderTheBudget() {
        // 64 users x 32 x 1,000,000 items would be 8 GB; with 256 MiB one user at a time fits
        BundleCard big = card(1_000_000, List.of(64, 32, 16, 8));
        assertTrue(ModelLoader.perUserBytes(big) >= 4L * 32 * 1_000_000, "the first layer alone");
        assertEquals(1, ModelLoader.memoryChunk(big, 256L << 20));
        BundleCard ml1m = card(3706, List.of(64, 32, 16, 8));
        int chunk = ModelLoader.memoryChunk(ml1m, 256L << 20);
        assertTrue(chunk >= 64, "MovieLens 1M fits many users: " + chunk);
        assertTrue(chunk * ModelLoader.perUserBytes(ml1m) <= 256L << 20);
    }

    @Test
    void aLoadedModelNeverRanksMoreUsersThanTheBudgetAllows(@TempDir Path dir) throws Exception {
        Path b = TestBundles.write(dir.resolve("b"), 1);
        long perUser = ModelLoader.perUserBytes(Bundle.read(b).card());
        List<Integer> runs = new CopyOnWriteArrayList<>();
        ModelLoader loader = new ModelLoader(ModelLoaders.CPU, new ModelLoader.Settings(1, Integer.MAX_VALUE,
                3 * perUser, new BatchSettings(64, TimeUnit.MILLISECONDS.toNanos(30), 100, 1, 0),
                new BatchSettings(1000, 0, 100, 1, 0)), ModelLoaders.WARM_UP, IoLoops.NONE,
                (call, n, t, d, inline) -> runs.add(n));
        ServedModel m = loader.load("m", 1, b);
        try {
            assertTrue(m.rankChunk() <= 3, "chunk " + m.rankChunk());
            List<CompletableFuture<ServedModel.Ranked>> all = new ArrayList<>();
            for (int u = 0; u < 12; u++) {
                all.add(m.rank(new ServedModel.RankQuery(u, new long[0], 2), Long.MAX_VALUE));
            }
            for (CompletableFuture<ServedModel.Ranked> f : all) {
                assertEquals(2, f.get(10, TimeUnit.SECONDS).items().length);
            }
            assertTrue(runs.stream().allMatch(n -> n <= 3), runs.toString());
            assertTrue(runs.stream().anyMatch(n -> n > 1), "never batched: " + runs);
        } finally {
            m.close();
        }
    }

    @Test
    void theRankingKernelIsTheOneAskedForAndAnswersAsTheGraphDoes(@TempDir Path dir) throws Exception {
        Path b = TestBundles.write(dir.resolve("b"), 1);
        ServedModel.Ranked[] answers = new ServedModel.Ranked[3];
        PairScores[] scored = new PairScores[3];
        long[] pairUsers = {0, 3, 3, TestBundles.USERS - 1};
        long[] pairItems = {0, 1, TestBundles.ITEMS - 1, 2};
        RankingKernel[] kernels = RankingKernel.values();
        for (int n = 0; n < kernels.length; n++) {
            ModelLoader loader = ModelLoaders.cpu(kernels[n]);
            ServedModel m = loader.load("m", 1, b);
            try {
                if (kernels[n] != RankingKernel.AUTO) {
                    assertEquals(kernels[n], m.rankingKernel());
                }
                assertEquals(m.rankingKernel(), m.scoringKernel()); // the fused kernel scores pairs too
                scored[n] = m.scoreNow(pairUsers, pairItems);
                answers[n] = m.rank(new ServedModel.RankQuery(3, new long[] {1, 2}, 5), Long.MAX_VALUE)
                        .get(10, TimeUnit.SECONDS);
            } finally {
                m.close();
            }
        }
        for (ServedModel.Ranked a : answers) {
            assertEquals(java.util.Arrays.toString(answers[1].items()), java.util.Arrays.toString(a.items()));
            org.junit.jupiter.api.Assertions.assertArrayEquals(answers[1].scores(), a.scores(), 1e-5f);
        }
        for (PairScores s : scored) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(scored[1].scores(), s.scores(), 1e-5f);
            org.junit.jupiter.api.Assertions.assertArrayEquals(scored[1].logits(), s.logits(), 1e-4f);
        }
    }

    @Test
    void fusedAskedForOnAGraphItDeclinesServesWithTheGraph(@TempDir Path dir) throws Exception {
        // a ranking graph from another exporter (its hash updated in the card): the kernel declines it, and the
        // load serves with the graph rather than refusing the version
        Path b = TestBundles.write(dir.resolve("b"), 1);
        byte[] other = ModelProto.parseFrom(Files.readAllBytes(b.resolve(BundleFiles.RANK_GRAPH))).toBuilder()
                .setProducerName("pytorch").build().toByteArray();
        Files.write(b.resolve(BundleFiles.RANK_GRAPH), other);
        TestBundles.editCard(b, card -> ((ObjectNode) card.get("files")).put(BundleFiles.RANK_GRAPH, Sha256.of(other)));
        ModelLoader loader = ModelLoaders.cpu(RankingKernel.FUSED);
        Logger log = (Logger) LoggerFactory.getLogger(ModelLoader.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        ServedModel m;
        try {
            m = loader.load("m", 1, b);
        } finally {
            log.detachAppender(lines);
        }
        try {
            assertEquals(RankingKernel.ONNX, m.rankingKernel());
            assertTrue(lines.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains("ncf.ranking-kernel is fused, but the ranking graph was made "
                    + "by 'pytorch'")), lines.list.toString());
            assertEquals(5, m.rank(new ServedModel.RankQuery(3, new long[] {1, 2}, 5), Long.MAX_VALUE)
                    .get(10, TimeUnit.SECONDS).items().length);
        } finally {
            m.close();
        }
    }

    @Test
    void theCudaProviderRanksWithTheGraphUnlessFusedIsAskedFor() {
        // the choice itself, without a GPU: auto keeps the graph on CUDA, where ONNX Runtime runs it on the device
        assertTrue(ModelLoader.triesFused(RankingKernel.AUTO, false));
        assertTrue(!ModelLoader.triesFused(RankingKernel.AUTO, true));
        assertTrue(ModelLoader.triesFused(RankingKernel.FUSED, true));
        assertTrue(!ModelLoader.triesFused(RankingKernel.ONNX, false));
        assertEquals(RankingKernel.FUSED, RankingKernel.parse(" Fused "));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RankingKernel.parse("gpu"));
    }
}
