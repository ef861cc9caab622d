package org.ncf4j.trainer.train;

import java.time.Instant;

/**
 * When a run started and how long it has taken: a resumed run goes on from the time its state saved, so that its
 * epochs' elapsed times and its total are those of one run.
 *
 * @param startNanos {@link System#nanoTime()} at the start, moved back by the time before a resume
 * @param started when the run first started
 */
record RunClock(long startNanos, Instant started) {

    static RunClock start() {
        return new RunClock(System.nanoTime(), Instant.now());
    }

    static RunClock resumed(TrainingState.Progress saved) {
        return new RunClock(System.nanoTime() - (long) (saved.elapsedSeconds() * 1e9), Instant.parse(saved.started()));
    }

    /** Seconds since the start. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
