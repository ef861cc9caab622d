package org.ncf4j.server.batching;

import java.util.List;

/**
 * Runs one batch of a {@link DynamicBatcher}; returns one result per request, in order.
 *
 * @param <Q> a request
 * @param <R> its result
 */
@FunctionalInterface
public interface BatchCall<Q, R> {
    /**
     * @throws Exception fails every request of the batch: a {@link org.ncf4j.server.error.ServingException} as it
     *     is, but an INTERNAL one with the batcher's name before its message; anything else as INTERNAL naming the
     *     batcher and the exception's class (the cause goes to the log)
     */
    List<R> run(List<Q> batch) throws Exception;
}
