package org.ncf4j.server.service;

import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.repository.ModelRepository;
import org.ncf4j.server.repository.ModelSnapshot;

/**
 * Whether a call can be refused when it starts, before its message is read: when every loaded model version that
 * could answer it is busy for its kind of work (what waits for that work is at its count or beyond its expected
 * wait, see {@code Admission#busy}), it would be refused whatever it asks. Under overload, reading and checking the
 * calls that are refused anyway (4,000 ids for a Score of 2,000 pairs) would take the time of those that can be
 * served. A call that some version could still take is read and admitted or refused as usual.
 */
public final class EarlyRefusal {
    /** The work a call may ask of a model. */
    public enum Work {
        /** Score: the model's scoring queue. */
        SCORE,
        /** Recommend and RecommendBatch: its ranking queue. */
        RANK,
        /** Either, as the call's message decides (the Open Inference Protocol's ModelInfer): both queues. */
        EITHER
    }

    private final ModelRepository repository;

    public EarlyRefusal(ModelRepository repository) {
        this.repository = repository;
    }

    /** Why a call asking for {@code work} would be refused now by every model version, or null when it might not. */
    public ServingException check(Work work) {
        ServingException first = null;
        ModelSnapshot snapshot = repository.snapshot();
        for (ModelSnapshot.Entry e : snapshot.entries()) {
            for (ServedModel m : e.loaded().values()) {
                ServingException why = busy(m, work);
                if (why == null) {
                    return null;
                }
                if (first == null) {
                    first = why;
                }
            }
        }
        return first;
    }

    private static ServingException busy(ServedModel m, Work work) {
        return switch (work) {
            case SCORE -> m.scoringBusy();
            case RANK -> m.rankingBusy();
            case EITHER -> m.scoringBusy() == null ? null : m.rankingBusy();
        };
    }
}
