package org.ncf4j.data;

/** Told how a download is going, so a caller can show a progress bar. Called on the downloading thread. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (bytesSoFar, totalBytes) -> { };

    /**
     * Called once before the first byte arrives and again after every chunk, the last time with the final count.
     *
     * @param bytesSoFar bytes received so far
     * @param totalBytes the size the server announced, or -1 when it announced none
     */
    void progress(long bytesSoFar, long totalBytes);

    /** Something the person downloading should know, in one line (e.g. why a cached file is fetched again). */
    default void note(String line) {
    }
}
