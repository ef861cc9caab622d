package org.ncf4j.server.batching;

/**
 * What a model run needs kept alive (the model's sessions), held by each run of a {@link DynamicBatcher} for the
 * run's duration, even after the callers of its requests have given up.
 */
@FunctionalInterface
public interface RunGuard {
    /** Nothing to keep alive. */
    RunGuard NONE = () -> () -> { };

    /** A hold on the resource, released after the run; null when the resource is already gone. */
    AutoCloseable enter();
}
