package org.ncf4j.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.List;

/**
 * A step of a DJL {@link Optimizer} on each parameter. Works on any device; DJL's PyTorch optimizers clear the
 * gradient after updating.
 */
final class DjlOptimizerUpdate implements ParameterUpdate {
    private final Optimizer optimizer;
    private final List<String> ids;
    private final List<NDArray> weights;
    private final String name;

    DjlOptimizerUpdate(Optimizer optimizer, List<String> ids, List<NDArray> weights, String name) {
        this.optimizer = optimizer;
        this.ids = ids;
        this.weights = weights;
        this.name = name;
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
        return name + " (DJL)";
    }
}
