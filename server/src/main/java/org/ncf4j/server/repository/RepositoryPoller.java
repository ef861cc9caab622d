package org.ncf4j.server.repository;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rescans the repository every poll interval on its own thread, until stopped. */
public final class RepositoryPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryPoller.class);
    private final ScheduledExecutorService timer;

    /** Starts polling; an interval of zero polls never (the Reload rpc still rescans). */
    public RepositoryPoller(ModelRepository repository, Duration interval) {
        if (interval.isZero()) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "repository-poller");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                repository.scan(null, false);
            } catch (RuntimeException e) {
                LOG.warn("rescanning the repository failed: {}", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops polling; a scan in progress finishes (the repository ignores scans once closed). */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
