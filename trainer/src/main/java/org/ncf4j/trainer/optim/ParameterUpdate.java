package org.ncf4j.trainer.optim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Applies one optimizer step to every trainable parameter from its accumulated gradient, then clears it. */
public interface ParameterUpdate {
    void step();

    /** A short description for logs and reports, e.g. "adam (fused, CPU)". */
    String describe();

    /**
     * Null when {@link #writeState} saves everything the next steps depend on (for {@code --resume}), else why
     * it cannot.
     */
    String notResumable();

    /** Writes the optimizer's state (moments, step count; nothing for a stateless one). */
    void writeState(DataOutputStream out) throws IOException;

    /** Reads what {@link #writeState} wrote. */
    void readState(DataInputStream in) throws IOException;
}
