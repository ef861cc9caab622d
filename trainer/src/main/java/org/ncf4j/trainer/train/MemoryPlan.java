package org.ncf4j.trainer.train;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.data.MachineMemory;
import org.ncf4j.trainer.settings.OptimizerKind;
import org.ncf4j.trainer.settings.TrainConfig;

/**
 * What a run will hold, estimated from the model's shape and the data before anything is allocated, and checked
 * against what the machine (or the container) has left, so that a model too large is refused with one line rather
 * than failing with an OutOfMemoryError, or being killed, after minutes of work.
 *
 * <p>Outside the JVM's heap, in PyTorch's memory: the parameters; the optimizer's state (by rows: two moments per
 * embedding value and, with catch-up, a step count per row; dense: the moments, a whole gradient and the update's
 * temporaries); the mean of the parameters with {@code --average-from}; the pretrained GMF and MLP while a NeuMF is
 * initialised from them. In the heap: an epoch's examples (user, item, sign: 12 bytes each) besides what the data
 * already holds.
 *
 * @param parameterBytes the parameters
 * @param optimizerBytes the optimizer's state
 * @param averageBytes the mean of the parameters (0 without {@code --average-from})
 * @param pretrainedBytes the pretrained models held while a NeuMF is initialised (0 without)
 * @param examplesBytes one epoch's examples, in the heap
 * @param onCpu whether the tables are in the machine's memory (on a GPU, only the heap is checked)
 */
public record MemoryPlan(long parameterBytes, long optimizerBytes, long averageBytes, long pretrainedBytes,
                         long examplesBytes, boolean onCpu) {
    /** Left free for the JVM's own memory, the runtime's libraries and the per-step temporaries. */
    static final long HEADROOM = 1L << 30;

    /**
     * @param trainPairs training interactions (each gives one positive and {@code negatives} negatives per epoch)
     */
    public static MemoryPlan of(ModelShape shape, TrainConfig config, long trainPairs, boolean onCpu) {
        long params = 0;
        long rowState = 0;
        boolean catchUp = config.optimizer() == OptimizerKind.ADAM;
        for (Map.Entry<String, long[]> p : shape.parameters().entrySet()) {
            long size = Arrays.stream(p.getValue()).reduce(1, (a, b) -> a * b);
            params += size * Float.BYTES;
            if (TensorNames.isEmbedding(p.getKey())) {
                long rows = p.getValue()[0];
                rowState += 2 * size * Float.BYTES + (catchUp ? rows * Float.BYTES : 0);
            } else {
                rowState += 2 * size * Float.BYTES;
            }
        }
        long optimizer = switch (config.optimizer()) {
            case ADAM, LAZY_ADAM -> onCpu ? rowState : 4 * params;
            case DENSE_ADAM -> 4 * params; // moments, a whole gradient, the update's temporaries
            case SGD -> 2 * params; // a whole gradient and the update's temporary
        };
        long examples = trainPairs * (1L + config.negatives()) * 12;
        return new MemoryPlan(params, optimizer, config.averageFrom() > 0 ? params : 0,
                config.pretrained() ? params : 0, examples, onCpu);
    }

    /** What the run holds outside the heap at its peak. */
    public long outsideHeapBytes() {
        return onCpu ? parameterBytes + Math.max(optimizerBytes + averageBytes, pretrainedBytes) : 0;
    }

    /** One line for the log: what the run holds where. */
    public String describe(long heapMaxBytes) {
        StringBuilder s = new StringBuilder("memory: ");
        if (onCpu) {
            s.append(MachineMemory.gb(outsideHeapBytes())).append(" outside the heap (parameters ")
                    .append(MachineMemory.gb(parameterBytes)).append(", optimizer state ")
                    .append(MachineMemory.gb(optimizerBytes));
            if (averageBytes > 0) {
                s.append(", mean of the parameters ").append(MachineMemory.gb(averageBytes));
            }
            s.append("), ");
        }
        return s.append("an epoch's examples ").append(MachineMemory.gb(examplesBytes)).append(" in a heap of up to ")
                .append(MachineMemory.gb(heapMaxBytes)).toString();
    }

    /**
     * Refuses a run that cannot fit: its examples in the heap, or the whole of it in what the machine has left.
     *
     * @param machine the machine's memory now (empty: unknown, nothing checked but the heap)
     * @param heapMax the most the heap may grow to
     * @param heapUsed what the heap holds now (the data)
     * @param heapCommitted what the heap has taken from the system so far
     * @return null when it fits, else why not, in one line naming the flags that change it
     */
    public String refusal(Optional<MachineMemory> machine, long heapMax, long heapUsed, long heapCommitted) {
        long heapNeed = heapUsed + examplesBytes;
        String flags = "use a smaller --factor or --layers" + (averageBytes > 0 ? ", no --average-from" : "")
                + ", or a machine with more memory";
        if (heapNeed > heapMax) {
            return String.format("the data and an epoch's examples need about %s of heap, and the JVM may use "
                    + "%s: give it more with JAVA_OPTS=-Xmx%dg, or use fewer --negatives",
                    MachineMemory.gb(heapNeed), MachineMemory.gb(heapMax), (long) Math.ceil(heapNeed * 1.25 / 1e9));
        }
        if (machine.isEmpty()) {
            return null;
        }
        long heapGrowth = Math.max(0, heapNeed - heapCommitted);
        long need = outsideHeapBytes() + heapGrowth + HEADROOM;
        long have = machine.get().availableBytes();
        if (need <= have) {
            return null;
        }
        return String.format("the model needs about %s more memory (%s outside the heap: parameters %s, optimizer "
                + "state %s%s; %s more heap for an epoch's examples; %s for the runtime), and %s leaves %s; %s",
                MachineMemory.gb(need), MachineMemory.gb(outsideHeapBytes()), MachineMemory.gb(parameterBytes),
                MachineMemory.gb(optimizerBytes), averageBytes > 0 ? ", mean of the parameters "
                + MachineMemory.gb(averageBytes) : "", MachineMemory.gb(heapGrowth), MachineMemory.gb(HEADROOM),
                machine.get().limitedBy(), MachineMemory.gb(have), flags);
    }
}
