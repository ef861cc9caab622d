package org.ncf4j.trainer.train;

/**
 * A run refused before any training because it cannot fit in the memory the machine (or its container) has left,
 * or its examples in the JVM's heap ({@link MemoryPlan}). Bad usage, not bad data: other flags or a larger machine
 * make it run.
 */
public final class MemoryRefused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MemoryRefused(String message) {
        super(message);
    }
}
