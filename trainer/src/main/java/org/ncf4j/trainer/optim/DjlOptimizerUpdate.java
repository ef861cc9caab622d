package org.ncf4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.ncf4j.trainer.settings.OptimizerKind;

/**
 * A step of a DJL {@link Optimizer} on each parameter. Works on any device; DJL's PyTorch optimizers clear the
 * gradient after updating.
 */
final class DjlOptimizerUpdate implements ParameterUpdate {
    private final Optimizer optimizer;
    private final List<String> ids;
    private final List<NDArray> weights;
    private final OptimizerKind kind;

    DjlOptimizerUpdate(Optimizer optimizer, List<String> ids, List<NDArray> weights, OptimizerKind kind) {
        this.optimizer = optimizer;
        this.ids = ids;
        this.weights = weights;
        this.kind = kind;
    }

    @Override
    public void step() {
        for (int p = 0; p < weights.size(); p++) {
            NDArray w = weights.get(p);
            try (NDArray grad = w.getGradient()) {
                optimizer.update(ids.get(p), w, grad);
            }
        }
    }

    @Override
    public String describe() {
        return kind + " (DJL)";
    }

    /** DJL's SGD without momentum keeps no state; its Adam keeps its moments to itself. */
    @Override
    public String notResumable() {
        return kind == OptimizerKind.SGD ? null : "DJL's " + kind + " (used on " + weights.get(0).getDevice()
                + ") does not expose its moments";
    }

    @Override
    public void writeState(DataOutputStream out) {
        requireResumable();
    }

    @Override
    public void readState(DataInputStream in) {
        requireResumable();
    }

    private void requireResumable() {
        if (notResumable() != null) {
            throw new IllegalStateException(notResumable());
        }
    }
}
