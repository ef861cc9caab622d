package org.ncf4j.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.data.EvalSet;
import org.ncf4j.data.NcfSplitFiles;
import org.ncf4j.data.Split;
import org.ncf4j.eval.RankingMetrics;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.SavedModel;
import org.ncf4j.contract.Variant;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.data.RealData;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.train.TrainingRun;

/**
 * Each variant, trained for one epoch on MovieLens 1M and exported, scores on ONNX Runtime like the DJL model,
 * gives the trainer's HR/NDCG, and ranks the catalogue like sorting the scoring graph's output. With
 * NCF_PARITY_RUNS set, the models are taken from {@code <runs>/<variant>/model} instead (for the fully trained
 * models of the accuracy runs).
 */
class RealDataExportParityTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static Split split;

    @TempDir
    Path dir;

    @BeforeAll
    static void data() {
        split = new NcfSplitFiles(RealData.dir()).read();
    }

    private static float[] score(OrtSession s, long[] users, long[] items) throws Exception {
        return output(s, users, items, "score");
    }

    private static float[] output(OrtSession s, long[] users, long[] items, String name) throws Exception {
        try (OnnxTensor u = OnnxTensor.createTensor(ENV, LongBuffer.wrap(users), new long[] {users.length});
             OnnxTensor i = OnnxTensor.createTensor(ENV, LongBuffer.wrap(items), new long[] {items.length});
             OrtSession.Result r = s.run(Map.of("user", u, "item", i))) {
            return ((float[]) r.get(name).get().getValue()).clone();
        }
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void exportedModelScoresRanksAndEvaluatesLikeTheTrainedOne(Variant variant) throws Exception {
        Path bundleDir = dir.resolve("bundle");
        Path checkpoint;
        double trainerHr;
        double trainerNdcg;
        String runs = System.getenv("NCF_PARITY_RUNS");
        if (runs == null) {
            TrainConfig config = TrainConfig.builder().optVariant(variant).optEpochs(1).optBatchSize(1024)
                    .optLearningRate(0.002f).optFullRanking(false).build();
            TrainingReport report = TrainingRun.builder().setSplit(split).setConfig(config)
                    .setOutput(dir.resolve("run")).optExport(bundleDir, false).build().run();
            checkpoint = dir.resolve("run/model");
            trainerHr = report.bestHitRate();
            trainerNdcg = report.bestNdcg();
        } else {
            // models trained elsewhere (e.g. the paper's 20 epochs): <runs>/<variant>/{model,report.json}
            Path run = Path.of(runs, variant.label());
            TrainingReport report = TrainingReport.read(run.resolve("report.json"));
            checkpoint = run.resolve("model");
            try (NcfModel trained = SavedModel.load(checkpoint, Device.cpu())) {
                BundleExporter.export(trained, split, report, bundleDir);
            }
            trainerHr = report.bestHitRate();
            trainerNdcg = report.bestNdcg();
        }
        Bundle bundle = Bundle.read(bundleDir);
        try (NcfModel model = SavedModel.load(checkpoint, Device.cpu());
             OrtSession scoring = ENV.createSession(bundle.scoreGraph().toString(), new OrtSession.SessionOptions());
             OrtSession ranking = ENV.createSession(bundle.rankGraph().toString(), new OrtSession.SessionOptions())) {
            // 10,000 random pairs
            SplittableRandom r = new SplittableRandom(7);
            int n = 10_000;
            int[] users = new int[n];
            int[] items = new int[n];
            for (int k = 0; k < n; k++) {
                users[k] = r.nextInt(split.numUsers());
                items[k] = r.nextInt(split.numItems());
            }
            double maxDiff = maxDiff(model, scoring, users, items);
            // every candidate (held-out item and 99 negatives) of the first 100 test users
            EvalSet test = split.test();
            int m = 100 * 100;
            int[] cu = new int[m];
            int[] ci = new int[m];
            for (int k = 0; k < 100; k++) {
                cu[k * 100] = test.users()[k];
                ci[k * 100] = test.positives()[k];
                for (int j = 0; j < 99; j++) {
                    cu[k * 100 + 1 + j] = test.users()[k];
                    ci[k * 100 + 1 + j] = test.negatives(k)[j];
                }
            }
            maxDiff = Math.max(maxDiff, maxDiff(model, scoring, cu, ci));
            assertTrue(maxDiff <= 1e-5, variant + ": max |ONNX - DJL| = " + maxDiff);

            // HR/NDCG from the exported model on the whole test set
            RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(10);
            int differing = 0;
            for (int k = 0; k < test.size(); k++) {
                long[] u = new long[100];
                long[] it = new long[100];
                Arrays.fill(u, test.users()[k]);
                it[0] = test.positives()[k];
                for (int j = 0; j < 99; j++) {
                    it[j + 1] = test.negatives(k)[j];
                }
                // rank by the exported logits: float32 probabilities round to 1 for confident scores and would tie
                float[] s = output(scoring, u, it, "logit");
                int rank = RankingMetrics.rank(test.positives()[k], s[0], test.negatives(k), s, 1);
                acc.add(rank);
                float[] logits = model.logits(toInt(u), toInt(it), 0, 100);
                int trainerRank = RankingMetrics.rank(test.positives()[k], logits[0], test.negatives(k), logits,
                        1);
                if (rank != trainerRank) {
                    differing++;
                    assertTrue(nearTie(s, test.negatives(k), test.positives()[k], 1e-5), "user "
                            + test.users()[k] + " ranks differently without a near-tie");
                }
            }
            System.out.printf("%s parity: max |ONNX - DJL| %.2e over %,d pairs; HR@10 ONNX %.4f trainer %.4f, "
                    + "NDCG@10 ONNX %.4f trainer %.4f; %d users rank differently (all near-ties)%n", variant,
                    maxDiff, n + m, acc.hitRate(), trainerHr, acc.ndcg(), trainerNdcg, differing);
            assertEquals(trainerHr, acc.hitRate(), differing / (double) test.size() + 1e-12);
            assertEquals(trainerNdcg, acc.ndcg(), differing / (double) test.size() + 1e-12);

            // the ranking graph's top 10 against sorting the scoring graph's output, seen items excluded
            int swapped = checkRanking(bundle, scoring, ranking, 1000);
            System.out.printf("%s ranking: top 10 of 1,000 users equal to sorted scores (%d near-tie swaps)%n",
                    variant, swapped);
        }
    }

    /** The largest difference between ONNX and DJL, over probabilities and over logits. */
    private double maxDiff(NcfModel model, OrtSession scoring, int[] users, int[] items) throws Exception {
        float[] onnx = score(scoring, toLong(users), toLong(items));
        float[] onnxLogits = output(scoring, toLong(users), toLong(items), "logit");
        float[] djl = model.logits(users, items, 0, users.length);
        double max = 0;
        for (int k = 0; k < users.length; k++) {
            max = Math.max(max, Math.abs(onnx[k] - sigmoid(djl[k])));
            max = Math.max(max, Math.abs(onnxLogits[k] - djl[k]));
        }
        return max;
    }

    private static boolean nearTie(float[] scores, int[] negatives, int positive, double tolerance) {
        for (int j = 0; j < negatives.length; j++) {
            if (negatives[j] != positive && Math.abs(scores[j + 1] - scores[0]) <= tolerance) {
                return true;
            }
        }
        return false;
    }

    /** Returns how many positions differ only by swapping items whose logits are within 1e-5. */
    private int checkRanking(Bundle bundle, OrtSession scoring, OrtSession ranking, int users) throws Exception {
        int numItems = split.numItems();
        int swaps = 0;
        long[] all = new long[numItems];
        for (int i = 0; i < numItems; i++) {
            all[i] = i;
        }
        for (int user = 0; user < users; user++) {
            int[] seen = bundle.seen().items(user);
            long[] exclude = new long[seen.length * 2];
            for (int j = 0; j < seen.length; j++) {
                exclude[2 * j + 1] = seen[j];
            }
            long[] u = new long[numItems];
            Arrays.fill(u, user);
            float[] s = score(scoring, u, all);
            float[] logits = output(scoring, u, all, "logit");
            Integer[] order = new Integer[numItems];
            for (int i = 0; i < numItems; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
            int[] expected = Arrays.stream(order).mapToInt(Integer::intValue)
                    .filter(i -> Arrays.binarySearch(seen, i) < 0).limit(10).toArray();
            try (OnnxTensor ut = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {user}), new long[] {1});
                 OnnxTensor ex = OnnxTensor.createTensor(ENV, LongBuffer.wrap(exclude),
                         new long[] {seen.length, 2});
                 OnnxTensor k = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {10}), new long[] {1});
                 OrtSession.Result r = ranking.run(Map.of("user", ut, "exclude", ex, "k", k))) {
                long[] got = ((long[][]) r.get("items").get().getValue())[0];
                float[] gotScores = ((float[][]) r.get("scores").get().getValue())[0];
                for (int j = 0; j < 10; j++) {
                    assertEquals(s[expected[j]], gotScores[j], 1e-6, "user " + user + " position " + j);
                    if (got[j] != expected[j]) {
                        assertEquals(logits[expected[j]], logits[(int) got[j]], 1e-5, "user " + user + " position "
                                + j);
                        swaps++;
                    }
                }
            }
        }
        return swaps;
    }

    private static long[] toLong(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }

    private static int[] toInt(long[] a) {
        return Arrays.stream(a).mapToInt(x -> (int) x).toArray();
    }
}
