package org.ncf4j.server.retrieval;

import org.ncf4j.server.config.RetrievalMode;

/**
 * How served models retrieve: the default way ({@link RetrievalMode}), C, the catalogue size from which auto
 * retrieves, the index's graph settings, and the least time between two checks of recall ({@link RecallCheck}; 0:
 * none).
 */
public record RetrievalSettings(RetrievalMode mode, int candidates, int minItems, ItemIndex.Params index,
                                long recallCheckNanos) {
    /** The server's defaults: auto from 20,000 items, C 200, M 16 and beam width 50, a recall check every 10 s. */
    public static final RetrievalSettings DEFAULT = new RetrievalSettings(RetrievalMode.AUTO, 200, 20_000,
            ItemIndex.Params.DEFAULT, 10_000_000_000L);

    /** With no recall checks. */
    public RetrievalSettings(RetrievalMode mode, int candidates, int minItems, ItemIndex.Params index) {
        this(mode, candidates, minItems, index, 0);
    }
}
