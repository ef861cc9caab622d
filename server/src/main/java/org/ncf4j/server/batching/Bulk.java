package org.ncf4j.server.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * A bulk call's admission to a {@link DynamicBatcher} ({@link DynamicBatcher#admitAll}): one place among the waiting
 * calls and all its units, held until it closes. Its requests are queued in parts as its caller goes, and always
 * go to the workers, their answers completed on the I/O loop that admitted the call, if one did; {@link #cancel}
 * drops those not yet run (a part failed, so the call has failed).
 *
 * @param <Q> a request
 * @param <R> its result
 */
public final class Bulk<Q, R> implements AutoCloseable {
    private final DynamicBatcher<Q, R> batcher;
    private final List<Pending<Q, R>> submitted = new ArrayList<>();
    /** The I/O loop of the call's thread when it was admitted, or null: its parts' answers are completed there. */
    private final Executor origin;
    /** Whether the call's client cancelled it (as the transport said on the call's thread when it was admitted). */
    private final BooleanSupplier cancelled;
    private long unitsLeft;
    private boolean closed;

    Bulk(DynamicBatcher<Q, R> batcher, long units) {
        this.batcher = batcher;
        this.unitsLeft = units;
        this.origin = batcher.loops.current();
        this.cancelled = batcher.loops.cancellation();
    }

    /** Queues a part of the admitted requests; their results come in the futures, in order. */
    public synchronized List<CompletableFuture<R>> submit(List<Q> part, long timeoutNanos) {
        if (closed) {
            throw new IllegalStateException("the bulk admission is closed");
        }
        List<CompletableFuture<R>> out = new ArrayList<>(part.size());
        for (Q q : part) {
            int units = batcher.size.applyAsInt(q);
            if (units > unitsLeft) {
                throw new IllegalStateException("more units queued than the bulk call was admitted with");
            }
            unitsLeft -= units;
            batcher.admission.queued(units);
            Pending<Q, R> p = new Pending<>(q, units, origin, cancelled, true);
            submitted.add(p);
            batcher.enqueue(p);
            out.add(batcher.answer(p, timeoutNanos));
        }
        return out;
    }

    /** Drops every queued request of the call that has not run: the call has failed, their results are lost. */
    public synchronized void cancel() {
        for (Pending<Q, R> p : submitted) {
            p.result.completeExceptionally(new CancellationException("another part of the call failed"));
        }
    }

    /** Gives back the call's place. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            batcher.admission.closeBulk();
        }
    }
}
