package org.ncf4j.trainer.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ncf4j.data.ProgressListener;

/** Shows a download's progress as a bar in a terminal, and as a line every 10% elsewhere. */
final class DownloadProgress implements ProgressListener, AutoCloseable {
    private final PrintStream err;
    private ProgressBar bar;
    private int lastDecile = -1;

    DownloadProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public void progress(long done, long total) {
        if (System.console() != null) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("download").setInitialMax(Math.max(total, 1))
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1 << 20).showSpeed().build();
            }
            bar.stepTo(done);
            return;
        }
        if (total > 0) {
            int decile = (int) (10 * done / total);
            if (decile != lastDecile) {
                lastDecile = decile;
                err.printf("download: %d%% of %.1f MB%n", decile * 10, total / 1048576.0);
            }
        }
    }

    @Override
    public void note(String line) {
        err.println("download: " + line);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
