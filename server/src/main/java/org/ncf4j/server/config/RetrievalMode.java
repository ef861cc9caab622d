package org.ncf4j.server.config;

import java.util.Locale;

/**
 * How Recommend ranks a whole catalogue by default for a model with a GMF part: exactly (every item through the
 * model), or through retrieval (C candidates by inner product from an index over the item vectors, re-ranked by
 * the model). A setting; a request may ask for either way.
 */
public enum RetrievalMode {
    /** Through retrieval from a catalogue size on (the setting ncf.retrieval-min-items), exactly below it. */
    AUTO,
    /** Always through retrieval. */
    ON,
    /** Always exactly; no index is built, so requests cannot ask for retrieval. */
    OFF;

    /** The most candidates a setting or a request may ask retrieval for. */
    public static final int MAX_CANDIDATES = 100_000;

    /** Parses a setting's value (auto, on or off, any case). */
    public static RetrievalMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + value + "', expected auto, on or off");
        }
    }

    /** Whether a catalogue of {@code items} items is ranked through retrieval by default. */
    public boolean retrievesByDefault(int items, int minItems) {
        return this == ON || this == AUTO && items >= minItems;
    }
}
