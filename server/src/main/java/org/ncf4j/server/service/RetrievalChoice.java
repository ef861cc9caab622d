package org.ncf4j.server.service;

import org.ncf4j.server.config.RetrievalMode;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.retrieval.Retrieval;

/** How a Recommend query ranks the whole catalogue: as it asks, else as its model does by default. */
final class RetrievalChoice {
    private RetrievalChoice() {
    }

    /**
     * Retrieval's C for a query (at least its k), or 0 when the query is ranked exactly: as it asks, else as the
     * model does by default.
     */
    static int candidates(ServedModel m, RecommendationService.Query q, String prefix) {
        if (q.retrieve() < 0 || q.retrieve() > RetrievalMode.MAX_CANDIDATES) {
            throw ServingException.invalid(prefix + "retrieval_candidates must be between 1 and "
                    + RetrievalMode.MAX_CANDIDATES + " (0: the server's " + m.retrieval().candidates() + "), got "
                    + q.retrieve());
        }
        Retrieval r = m.retrieval();
        switch (q.ranking()) {
            case EXACT:
                if (q.retrieve() != 0) {
                    throw ServingException.invalid(prefix + "retrieval_candidates is " + q.retrieve()
                            + ", but the ranking asked for is exact: give one or the other");
                }
                return 0;
            case RETRIEVAL:
                if (!r.available()) {
                    throw ServingException.invalid(prefix + "model " + m.name() + " version " + m.version()
                            + " cannot rank through retrieval (" + r.description() + "): ask for the exact ranking");
                }
                break;
            default:
                if (!r.byDefault()) {
                    return 0;
                }
        }
        return Math.max(q.k(), q.retrieve() > 0 ? q.retrieve() : r.candidates());
    }
}
