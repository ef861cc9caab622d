package org.ncf4j.cli;

import java.io.PrintWriter;

/**
 * A progress bar on standard error for long commands: done out of total, rate and time left, redrawn at most
 * every 200 ms on one line, and ended with a newline by {@link #finish}.
 */
public final class Progress {
    private final PrintWriter err;
    private final String what;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long done;

    public Progress(PrintWriter err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = Math.max(1, total);
    }

    public synchronized void add(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L || done >= total) {
            lastDraw = now;
            draw(now);
        }
    }

    public synchronized void finish() {
        if (done < total) {
            draw(System.nanoTime());
        }
        err.println();
        err.flush();
    }

    private void draw(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        int filled = (int) (30 * Math.min(1.0, done / (double) total));
        String left = rate > 0 && done < total ? String.format(", %.0f s left", (total - done) / rate) : "";
        err.printf("\r%s [%s%s] %,d/%,d (%,.0f/s%s)   ", what, "#".repeat(filled), ".".repeat(30 - filled), done,
                total, rate, left);
        err.flush();
    }
}
