package org.ncf4j.server.retrieval;

import org.ncf4j.server.config.RetrievalMode;

/**
 * How served models retrieve: the default way ({@link RetrievalMode}), C, the catalogue size from which auto
 * retrieves, and the index's graph settings.
 */
public record RetrievalSettings(RetrievalMode mode, int candidates, int minItems, ItemIndex.Params index) {
    /** The server's defaults: auto from 50,000 items, C 200, Lucene's graph defaults. */
    public static final RetrievalSettings DEFAULT = new RetrievalSettings(RetrievalMode.AUTO, 200, 50_000,
            ItemIndex.Params.DEFAULT);
}
