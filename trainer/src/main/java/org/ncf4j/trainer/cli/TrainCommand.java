package org.ncf4j.trainer.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ncf4j.bundle.BundleWriter;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;
import org.ncf4j.trainer.train.MemoryRefused;
import org.ncf4j.trainer.train.ResumeRefused;
import org.ncf4j.trainer.train.TrainingRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ncf-train}: trains GMF, MLP or NeuMF and evaluates HR@K and NDCG@K every epoch. Every flag can also be
 * given in a properties file ({@code --config run.properties}, keys are the long flag names without dashes);
 * flags on the command line win. The options of the training settings come from {@link TrainSetting}; those
 * declared here say where the data comes from and where the run goes.
 */
@Command(name = "ncf-train", mixinStandardHelpOptions = true, sortOptions = false, version = "ncf-train 0.1.0",
        description = "Trains an NCF model (GMF, MLP or NeuMF) with DJL on PyTorch and evaluates HR/NDCG.")
public final class TrainCommand implements Callable<Integer> {

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "%nData:%n")
    DataOptions data;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output folder for the best model, "
            + "report.json and training.png (default: runs/<model>).")
    Path output;

    @Option(names = "--export-dir", paramLabel = "DIR", description = "Where to export the best model as a "
            + "bundle (ONNX graphs, card, id maps); must not exist, e.g. models/neumf/1 (default: <output>/bundle, "
            + "replaced on a re-run).")
    Path exportDir;

    @Option(names = "--no-export", fallbackValue = "true", description = "Do not export the best model at the end.")
    boolean noExport;

    @Option(names = "--resume", fallbackValue = "true", description = "Go on from the last finished epoch of the "
            + "run in --output (its state is saved after every epoch, in resume.state), or start afresh when it "
            + "has none. The settings must be the run's, but --epochs (which may extend it) and --threads; with "
            + "one thread the result is the uninterrupted run's.")
    boolean resume;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of defaults for any flag "
            + "but the data source (keys are long flag names without dashes).")
    Path config;

    private CommandSpec spec;
    private TrainingReport report;
    private final PrintStream out;
    private final PrintStream err;

    public TrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Picocli hands over the command's model; the training settings join it, an option per {@link TrainSetting}. */
    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        SettingOptions.addTo(spec);
    }

    /** The report of the last successful run, for callers that run the command in-process. */
    public TrainingReport report() {
        return report;
    }

    @Override
    public Integer call() throws IOException {
        TrainConfig cfg;
        String device = SettingOptions.device(spec);
        try {
            cfg = SettingOptions.config(spec);
            DeviceChoice.requireKnown(device);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        // PyTorch reads its thread counts once, when the engine starts; workers parallelise, not operators
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Path outDir = output != null ? output : Path.of("runs", cfg.variant().label());
        Path bundle = noExport ? null : exportDir != null ? exportDir : outDir.resolve("bundle");
        if (exportDir != null && !noExport) {
            BundleWriter.requireAbsent(exportDir);
        }
        long t0 = System.nanoTime();
        Split split = DatasetLoader.load(data, cfg.seed(), err).requireTrainable();
        err.printf("%s (read in %.1f s)%n", split.summary(), (System.nanoTime() - t0) / 1e9);
        Engine engine = Engine.getEngine("PyTorch");
        DeviceChoice.Decision decision = DeviceChoice.choose(device, engine.getGpuCount(),
                engine.getEngineName() + " " + engine.getVersion());
        if (decision.note() != null) {
            err.println("device auto: " + decision.note());
        }
        EpochPrinter printer = new EpochPrinter(out, err, cfg.topK(), split.validation() != null);
        try {
            report = TrainingRun.builder().setSplit(split).setConfig(cfg).setOutput(outDir)
                    .optDevice(decision.device()).optExport(bundle, exportDir == null).optListener(printer)
                    .optSource(data.describe()).optResume(resume).build().run();
        } catch (ResumeRefused | MemoryRefused e) {
            throw new UsageError(e.getMessage());
        }
        out.printf((report.bestEpoch() == 0 ? "best epoch 0, the initialised model: no epoch of training beat it"
                + " (by %2$s)" : "best epoch %1$d (by %2$s)") + ": HR@%3$d %4$.4f NDCG@%5$d %6$.4f; model, report.json "
                + "and training.png in %7$s%8$s%n",
                report.bestEpoch(), report.selectedBy(), cfg.topK(), report.bestHitRate(), cfg.topK(),
                report.bestNdcg(), outDir, bundle == null ? "" : ", bundle in " + bundle);
        PeakMemory.megabytes().ifPresent(mb -> err.printf("peak memory (resident): %,d MB%n", mb));
        return 0;
    }

    /** Parses and runs; returns the exit code (0 done, 1 failed, 2 bad usage). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return CommandRunner.run(new TrainCommand(out, err), "ncf-train", out, err, args);
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }
}
