package org.ncf4j.trainer.bench;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.data.Directories;
import org.ncf4j.data.NcfSplitFiles;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.export.BundleExporter;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.SavedModel;
import org.ncf4j.contract.Variant;

/**
 * On MovieLens 1M: the time to export NeuMF (factor 8, 64-32-16-8) as a bundle, and, in-process on ONNX Runtime
 * (CPU, one intra-op thread), the latency of ranking one user over all items with the whole-catalogue graph
 * (seen items excluded, k = 10) against scoring every item for that user with the pair-scoring graph, measured
 * interleaved in one run. Arguments: data directory, optional checkpoint (a trained model/ folder; random
 * weights otherwise, which time the same). Run with {@code trainer/bench/export.sh}.
 */
public final class ExportBench {
    private ExportBench() {
    }

    public static void main(String[] args) throws Exception {
        Split split = new NcfSplitFiles(Path.of(args[0])).read();
        int iterations = Integer.getInteger("iterations", 3000);
        Path work = Files.createTempDirectory("ncf-export-bench");
        try (NcfModel model = args.length > 1 ? SavedModel.load(Path.of(args[1]), Device.cpu())
                : NcfModel.create(new ModelShape(Variant.NEUMF, split.numUsers(), split.numItems(), 8,
                        new int[] {64, 32, 16, 8}), Device.cpu(), 1, 0, 0)) {
            double[] exportSeconds = new double[5];
            for (int r = 0; r < exportSeconds.length; r++) {
                long t0 = System.nanoTime();
                BundleExporter.export(model, split, null, work.resolve("v" + r));
                exportSeconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(exportSeconds);
            System.out.printf("export %s as a bundle: median %.3f s, best %.3f s (5 runs)%n", model.spec(),
                    exportSeconds[2], exportSeconds[0]);
            Bundle bundle = Bundle.read(work.resolve("v0"));
            compare(bundle, split.numItems(), iterations);
        } finally {
            Directories.deleteTree(work);
        }
    }

    private static void compare(Bundle bundle, int numItems, int iterations) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        try (OrtSession scoring = env.createSession(bundle.scoreGraph().toString(), options);
             OrtSession ranking = env.createSession(bundle.rankGraph().toString(), options)) {
            long[] items = new long[numItems];
            for (int i = 0; i < numItems; i++) {
                items[i] = i;
            }
            long[] rankNanos = new long[iterations];
            long[] scoreNanos = new long[iterations];
            SplittableRandom random = new SplittableRandom(1);
            int users = bundle.users().size();
            for (int it = -iterations / 10; it < iterations; it++) {
                int user = random.nextInt(users);
                long t0 = System.nanoTime();
                rank(env, ranking, bundle, user);
                long t1 = System.nanoTime();
                score(env, scoring, user, items);
                long t2 = System.nanoTime();
                if (it >= 0) {
                    rankNanos[it] = t1 - t0;
                    scoreNanos[it] = t2 - t1;
                }
            }
            Arrays.sort(rankNanos);
            Arrays.sort(scoreNanos);
            System.out.printf("rank one user over %,d items, seen excluded, k=10 (ranking graph): p50 %.3f ms, "
                    + "p99 %.3f ms%n", numItems, ms(rankNanos, 0.5), ms(rankNanos, 0.99));
            System.out.printf("score %,d pairs of one user (scoring graph, no top-k):            p50 %.3f ms, "
                    + "p99 %.3f ms%n", numItems, ms(scoreNanos, 0.5), ms(scoreNanos, 0.99));
            System.out.printf("ratio scoring / ranking: p50 %.2fx, p99 %.2fx (%d interleaved iterations each)%n",
                    ms(scoreNanos, 0.5) / ms(rankNanos, 0.5), ms(scoreNanos, 0.99) / ms(rankNanos, 0.99),
                    iterations);
        }
    }

    private static void rank(OrtEnvironment env, OrtSession s, Bundle bundle, int user) throws Exception {
        int[] seen = bundle.seen().items(user);
        long[] exclude = new long[2 * seen.length];
        for (int j = 0; j < seen.length; j++) {
            exclude[2 * j + 1] = seen[j];
        }
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {user}), new long[] {1});
             OnnxTensor e = OnnxTensor.createTensor(env, LongBuffer.wrap(exclude), new long[] {seen.length, 2});
             OnnxTensor k = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {10}), new long[] {1});
             OrtSession.Result r = s.run(Map.of(GraphIO.USER, u, GraphIO.EXCLUDE, e, GraphIO.K, k))) {
            r.get(0);
        }
    }

    private static void score(OrtEnvironment env, OrtSession s, int user, long[] items) throws Exception {
        long[] users = new long[items.length];
        Arrays.fill(users, user);
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[] {items.length});
             OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(items), new long[] {items.length});
             OrtSession.Result r = s.run(Map.of(GraphIO.USER, u, GraphIO.ITEM, i))) {
            r.get(0);
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
