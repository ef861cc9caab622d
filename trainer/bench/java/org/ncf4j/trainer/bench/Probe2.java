package org.ncf4j.trainer.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.*;
import org.ncf4j.trainer.model.*;

public class Probe2 {
    public static void main(String[] args) throws Exception {
        Variant v = Variant.parse(args[0]);
        int mode = Integer.parseInt(args[1]);
        try (NcfModel m = NcfModel.create(new ModelSpec(v, 6040, 3706, 8, new int[] {64, 32, 16, 8}), Device.cpu(), 1, 0, 0)) {
            Optimizer opt = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build();
            List<Parameter> ps = new ArrayList<>(m.parameters().values());
            ps.forEach(p -> p.getArray().setRequiresGradient(true));
            Random r = new Random(1);
            int[] u = new int[256], it = new int[256]; float[] s = new float[256];
            for (int i = 0; i < 256; i++) { u[i] = r.nextInt(6040); it[i] = r.nextInt(3706); s[i] = r.nextBoolean() ? 1 : -1; }
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                int steps = 2000;
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    for (int k = 0; k < steps; k++) {
                        try (NDManager sm = m.manager().newSubManager()) {
                            NDArray U = sm.create(u), I = sm.create(it), S = sm.create(s);
                            NDList out = m.forwardTraining(U, I);
                            NDArray loss = out.get(0).mul(S).getNDArrayInternal().softPlus().mean();
                            if (mode >= 1) gc.backward(loss);
                            if (mode >= 2) for (Parameter p : ps) { NDArray w = p.getArray(); try (NDArray g = w.getGradient()) { opt.update(p.getId(), w, g);} }
                            else if (mode == 1) for (Parameter p : ps) { NDArray w = p.getArray(); try (NDArray g = w.getGradient()) { g.subi(g);} }
                            loss.getFloat();
                        }
                    }
                }
                double us = (System.nanoTime() - t0) / 1e3 / steps;
                System.out.printf("%s mode %d: %.0f us/step, %.0f samples/s%n", v, mode, us, 256e6 / us);
            }
        }
    }
}
