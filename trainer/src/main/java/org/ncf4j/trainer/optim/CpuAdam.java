package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.ncf4j.trainer.model.TensorMemory;

/**
 * Dense Adam ({@link AdamStep}) fused into one pass per parameter over memory shared with the CPU tensors: for each
 * element the gradient is read, both moments and the weight updated, and the gradient cleared.
 *
 * <p>Why: DJL's PyTorch Adam makes about a dozen passes over each parameter per step, allocating four temporaries;
 * on MovieLens 1M NeuMF with dense embedding gradients it took two thirds of the step time. The arithmetic is that
 * of {@code torch.optim.Adam} without weight decay.
 *
 * <p>Only for contiguous float32 tensors on the CPU, whose memory DJL exposes as direct buffers;
 * {@link #supports} tells, and other devices use DJL's optimizer. Steps are serialised, so that several training
 * workers can share one instance; each passes the tensors whose gradients it computed ({@link #step(List, long)}),
 * which share their weights' memory.
 */
final class CpuAdam implements ParameterUpdate {
    private final List<NDArray> weights;
    private final float[][] first;
    private final float[][] second;
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float[] gradient;
    private final float[] weight;
    private final float[] zeros;
    private long t;

    CpuAdam(List<NDArray> weights, float learningRate, float beta1, float beta2, float epsilon) {
        this.weights = weights;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        first = new float[weights.size()][];
        second = new float[weights.size()][];
        int largest = 0;
        for (int p = 0; p < weights.size(); p++) {
            int n = Math.toIntExact(weights.get(p).size());
            first[p] = new float[n];
            second[p] = new float[n];
            largest = Math.max(largest, n);
        }
        gradient = new float[largest];
        weight = new float[largest];
        zeros = new float[largest];
    }

    /** The largest tensor updated here (its moments are arrays on the heap); larger ones use DJL's Adam. */
    private static final long MAX_FLOATS = 1L << 27;

    /** Whether every weight can be updated in place through a direct buffer, with its moments on the heap. */
    static boolean supports(List<NDArray> weights) {
        for (NDArray w : weights) {
            if (!TensorMemory.supports(w) || w.size() > MAX_FLOATS || !w.toByteBuffer(true).isDirect()) {
                return false;
            }
        }
        return true;
    }

    static FloatBuffer view(NDArray array) {
        return array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void step() {
        step(weights, ++t);
    }

    /**
     * Step {@code t} (from 1) from the gradients of {@code leaves}, which hold this optimizer's weights in order
     * (the weights themselves, or tensors sharing their memory); clears those gradients.
     */
    void step(List<NDArray> leaves, long t) {
        // the calls into PyTorch (a gradient's handle, two buffers per parameter) touch only the caller's own
        // tensors and take microseconds each, so they stay outside the lock: with several workers the lock then
        // covers the arithmetic on the shared moments alone, not a dozen native calls per step
        int n = leaves.size();
        NDArray[] grads = new NDArray[n];
        FloatBuffer[] w = new FloatBuffer[n];
        FloatBuffer[] g = new FloatBuffer[n];
        try {
            for (int p = 0; p < n; p++) {
                grads[p] = leaves.get(p).getGradient();
                w[p] = view(leaves.get(p));
                g[p] = view(grads[p]);
            }
            AdamStep adam = AdamStep.at(t, learningRate, beta1, beta2, epsilon);
            synchronized (this) {
                for (int p = 0; p < n; p++) {
                    update(w[p], g[p], first[p], second[p], adam);
                }
            }
        } finally {
            for (NDArray grad : grads) {
                if (grad != null) {
                    grad.close();
                }
            }
        }
    }

    private void update(FloatBuffer w, FloatBuffer g, float[] m, float[] v, AdamStep adam) {
        int n = m.length;
        // bulk copies in and out let the JIT vectorise the loop over plain arrays (5x faster than element-wise
        // buffer access)
        g.get(0, gradient, 0, n);
        w.get(0, weight, 0, n);
        adam.apply(weight, 0, gradient, 0, m, v, 0, n);
        w.put(0, weight, 0, n);
        g.put(0, zeros, 0, n);
    }

    @Override
    public String describe() {
        return "adam (fused, CPU)";
    }

    @Override
    public String notResumable() {
        return null;
    }

    @Override
    public synchronized void writeState(DataOutputStream out) throws IOException {
        NamedArrays.write(out, "adam.t", new long[] {t});
        for (int p = 0; p < first.length; p++) {
            NamedArrays.write(out, "adam.m" + p, first[p]);
            NamedArrays.write(out, "adam.v" + p, second[p]);
        }
    }

    @Override
    public synchronized void readState(DataInputStream in) throws IOException {
        long[] step = new long[1];
        NamedArrays.read(in, "adam.t", step);
        t = step[0];
        for (int p = 0; p < first.length; p++) {
            NamedArrays.read(in, "adam.m" + p, first[p]);
            NamedArrays.read(in, "adam.v" + p, second[p]);
        }
    }
}
