package org.ncf4j.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.contract.Variant;

class CpuAdamTest {

    /** Adam as in the paper, in double precision, on copies of the weights and gradients. */
    private static final class ReferenceAdam {
        final double[][] m;
        final double[][] v;
        int t;

        ReferenceAdam(List<float[]> shapes) {
            m = new double[shapes.size()][];
            v = new double[shapes.size()][];
            for (int p = 0; p < shapes.size(); p++) {
                m[p] = new double[shapes.get(p).length];
                v[p] = new double[shapes.get(p).length];
            }
        }

        void step(List<float[]> weights, List<float[]> grads, double lr) {
            t++;
            for (int p = 0; p < weights.size(); p++) {
                float[] w = weights.get(p);
                float[] g = grads.get(p);
                for (int i = 0; i < w.length; i++) {
                    m[p][i] = 0.9 * m[p][i] + 0.1 * g[i];
                    v[p][i] = 0.999 * v[p][i] + 0.001 * g[i] * g[i];
                    double mh = m[p][i] / (1 - Math.pow(0.9, t));
                    double vh = v[p][i] / (1 - Math.pow(0.999, t));
                    w[i] -= (float) (lr * mh / (Math.sqrt(vh) + 1e-8));
                }
            }
        }
    }

    @Test
    void fusedUpdateMatchesAdamAndClearsGradients() {
        ModelShape spec = new ModelShape(Variant.NEUMF, 6, 5, 3, new int[] {8, 4});
        try (NcfModel model = NcfModel.create(spec, Device.cpu(), 1, 0, 0)) {
            List<NDArray> weights = new ArrayList<>();
            for (Parameter p : model.parameters().values()) {
                p.getArray().setRequiresGradient(true);
                weights.add(p.getArray());
            }
            assertTrue(CpuAdam.supports(weights));
            CpuAdam adam = new CpuAdam(weights, 0.01f, 0.9f, 0.999f, 1e-8f);
            List<float[]> expected = new ArrayList<>();
            weights.forEach(w -> expected.add(w.toFloatArray()));
            ReferenceAdam reference = new ReferenceAdam(expected);
            for (int step = 0; step < 5; step++) {
                try (NDManager sub = model.manager().newSubManager();
                     GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray u = sub.create(new int[] {0, 1, 5, step % 6});
                    NDArray i = sub.create(new int[] {4, 2, 0, step % 5});
                    NDArray sign = sub.create(new float[] {-1, 1, 1, -1});
                    NDArray loss = model.forwardTraining(u, i).get(0).mul(sign).getNDArrayInternal().softPlus()
                            .mean();
                    gc.backward(loss);
                }
                List<float[]> grads = new ArrayList<>();
                for (NDArray w : weights) {
                    try (NDArray g = w.getGradient()) {
                        grads.add(g.toFloatArray());
                    }
                }
                reference.step(expected, grads, 0.01);
                adam.step();
                for (int p = 0; p < weights.size(); p++) {
                    float[] actual = weights.get(p).toFloatArray();
                    for (int k = 0; k < actual.length; k++) {
                        assertEquals(expected.get(p)[k], actual[k], 1e-6, "step " + step + " parameter " + p);
                    }
                    try (NDArray g = weights.get(p).getGradient()) {
                        assertEquals(0f, g.abs().sum().getFloat(), "gradient not cleared");
                    }
                }
            }
        }
    }
}
