package org.ncf4j.trainer.bench;

import ai.djl.Device;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import org.ncf4j.data.NcfSplitFiles;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.model.ModelSpec;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.Variant;
import org.ncf4j.trainer.sampling.EpochExamples;
import org.ncf4j.trainer.sampling.NegativeSampler;
import org.ncf4j.trainer.train.EpochTrainer;

public class Probe {
    public static void main(String[] args) throws Exception {
        Split split = new NcfSplitFiles(Path.of(args[0])).read();
        Variant v = Variant.parse(args[1]);
        NegativeSampler sampler = new NegativeSampler(split.train(), 4, 1);
        long t0 = System.nanoTime();
        EpochExamples ex = sampler.sample(0);
        System.out.printf("sample %.3f s, %d examples%n", (System.nanoTime() - t0) / 1e9, ex.size());
        try (NcfModel m = NcfModel.create(new ModelSpec(v, split.numUsers(), split.numItems(), 8,
                new int[] {64, 32, 16, 8}), Device.cpu(), 1, 0, 0)) {
            EpochTrainer tr = new EpochTrainer(m, "adam", 0.001f, 256);
            int limit = Integer.parseInt(args[2]);
            EpochExamples small = new EpochExamples(0, java.util.Arrays.copyOf(ex.users(), limit),
                    java.util.Arrays.copyOf(ex.items(), limit), java.util.Arrays.copyOf(ex.signs(), limit), 0, 0);
            for (int r = 0; r < 3; r++) {
                long t1 = System.nanoTime();
                double loss = tr.train(small, null);
                double sec = (System.nanoTime() - t1) / 1e9;
                System.out.printf("%s loss %.4f %.2f s %.0f samples/s%n", v, loss, sec, limit / sec);
            }
        }
    }
}
