package org.ncf4j.server.retrieval;

/**
 * A served model's retrieval: its ranker through the item index (null without an index), whether Recommend uses it
 * when a request does not say, C when a request does not say, what the index is (or why there is none), and how
 * long it took to build, and how often its recall is checked as it serves.
 */
public record Retrieval(RetrievingRanker ranker, boolean byDefault, int candidates, String description,
                        long buildMillis, RecallCheck check) {
    /** No index, for the reason given. */
    public static Retrieval none(String why) {
        return new Retrieval(null, false, 0, why, 0, new RecallCheck(0));
    }

    public boolean available() {
        return ranker != null;
    }
}
