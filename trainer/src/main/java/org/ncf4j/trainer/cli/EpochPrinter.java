package org.ncf4j.trainer.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.train.TrainingRun;

/**
 * Prints one line per epoch to standard output and, in a terminal, a progress bar per epoch with examples per
 * second and the running loss to standard error.
 */
final class EpochPrinter implements TrainingRun.Listener {
    private final PrintStream out;
    private final PrintStream err;
    private final int k;
    private final boolean validation;
    private final boolean terminal = System.console() != null;
    private ProgressBar bar;
    private int epochs;
    /** Outside a terminal (a log file, a container's output): a progress line every minute of a long epoch. */
    private static final long LINE_NANOS = 60_000_000_000L;
    private int epoch;
    private long examples;
    private long started;
    private long lastLine;

    EpochPrinter(PrintStream out, PrintStream err, int k, boolean validation) {
        this.out = out;
        this.err = err;
        this.k = k;
        this.validation = validation;
    }

    @Override
    public void message(String line) {
        err.println(line);
    }

    @Override
    public void epochStarted(int epoch, int epochs, long examples) {
        this.epochs = epochs;
        this.epoch = epoch;
        this.examples = examples;
        this.started = System.nanoTime();
        this.lastLine = started;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, epochs))
                    .setInitialMax(examples).setStyle(ProgressBarStyle.ASCII).setUnit(" samples", 1).showSpeed()
                    .setUpdateIntervalMillis(250).build();
        }
    }

    @Override
    public void progress(long done, double loss) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(String.format(" loss %.4f", loss)); // after the speed: "samples/s loss"
        } else if (!terminal && System.nanoTime() - lastLine >= LINE_NANOS && done < examples) {
            lastLine = System.nanoTime();
            double seconds = (lastLine - started) / 1e9;
            err.printf("epoch %d/%d: %,d of %,d samples (%.0f%%) in %.0f s, %,.0f samples/s, loss %.4f%n", epoch,
                    epochs, done, examples, 100.0 * done / examples, seconds, done / seconds, loss);
        }
    }

    @Override
    public void epochFinished(EpochRecord r, boolean best) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        String val = validation ? String.format("  val HR %.4f NDCG %.4f", r.validationHitRate(),
                r.validationNdcg()) : "";
        out.printf("epoch %2d/%d  loss %.4f  HR@%d %.4f  NDCG@%d %.4f%s  train %.1f s (%,.0f samples/s)  "
                + "eval %.2f s%s%n", r.epoch(), epochs, r.loss(), k, r.hitRate(), k, r.ndcg(), val, r.trainSeconds(),
                r.samplesPerSecond(), r.evalSeconds(), best ? "  *" : "");
    }
}
