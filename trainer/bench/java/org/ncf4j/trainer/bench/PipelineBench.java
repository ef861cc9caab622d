package org.ncf4j.trainer.bench;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Arrays;
import org.ncf4j.data.NcfSplitFiles;
import org.ncf4j.data.Split;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.trainer.eval.EvalResult;
import org.ncf4j.trainer.eval.FullRankingEvaluator;
import org.ncf4j.trainer.eval.SampledEvaluator;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.contract.Variant;
import org.ncf4j.trainer.sampling.EpochExamples;
import org.ncf4j.trainer.sampling.NegativeSampler;

/**
 * Times the parts of an epoch around the training steps on MovieLens 1M (the NCF split), one thread each:
 * sampling an epoch's negatives (4 per positive) with shuffling, the per-epoch evaluation of all 604,000
 * candidates with NeuMF (factor 8, 64-32-16-8), and the full-ranking evaluation. Prints the median and the best of
 * several repetitions. Run with {@code trainer/bench/pipeline.sh}.
 */
public final class PipelineBench {
    private PipelineBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-1m-ncf");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Split split = new NcfSplitFiles(data).read();
        System.out.println(split.summary());

        NegativeSampler sampler = new NegativeSampler(split.train(), 4, 1);
        double[] sampling = new double[reps];
        long negatives = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            EpochExamples ex = sampler.sample(r);
            sampling[r] = (System.nanoTime() - t0) / 1e9;
            negatives = ex.negatives();
        }
        report("sampling one epoch (" + String.format("%,d", negatives) + " negatives + shuffle of "
                + String.format("%,d", sampler.examplesPerEpoch()) + " examples)", sampling);

        ModelShape spec = new ModelShape(Variant.NEUMF, split.numUsers(), split.numItems(), 8,
                new int[] {64, 32, 16, 8});
        try (NcfModel model = NcfModel.create(spec, Device.cpu(), 1, 0, 0)) {
            SampledEvaluator eval = new SampledEvaluator(split.test(), 10, 1 << 16);
            double[] evals = new double[reps];
            for (int r = 0; r < reps; r++) {
                evals[r] = eval.evaluate(model).seconds();
            }
            report("NeuMF HR/NDCG@10 over " + String.format("%,d", eval.candidates()) + " candidates", evals);
            EvalResult full = new FullRankingEvaluator(split.test(), split.train(), null, 10, 1 << 16)
                    .evaluate(model);
            System.out.printf("NeuMF full ranking of %,d users x %,d items: %.2f s%n", full.users(),
                    split.numItems(), full.seconds());
        }
    }

    private static void report(String what, double[] seconds) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        System.out.printf("%s: median %.3f s, best %.3f s (%d runs)%n", what, s[s.length / 2], s[0], s.length);
    }
}
