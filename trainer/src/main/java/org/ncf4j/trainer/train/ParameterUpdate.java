package org.ncf4j.trainer.train;

/** Applies one optimizer step to every trainable parameter from its accumulated gradient, then clears it. */
public interface ParameterUpdate {
    void step();

    /** A short description for logs and reports, e.g. "adam (fused, CPU)". */
    String describe();
}
