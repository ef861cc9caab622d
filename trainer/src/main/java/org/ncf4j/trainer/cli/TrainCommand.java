package org.ncf4j.trainer.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ncf4j.bundle.BundleWriter;
import org.ncf4j.data.Split;
import org.ncf4j.contract.Variant;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.train.DeviceChoice;
import org.ncf4j.trainer.train.ResumeRefused;
import org.ncf4j.trainer.train.TrainConfig;
import org.ncf4j.trainer.train.TrainingRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ncf-train}: trains GMF, MLP or NeuMF and evaluates HR@K and NDCG@K every epoch. Every flag can also be
 * given in a properties file ({@code --config run.properties}, keys are the long flag names without dashes);
 * flags on the command line win.
 */
@Command(name = "ncf-train", mixinStandardHelpOptions = true, sortOptions = false, version = "ncf-train 0.1.0",
        description = "Trains an NCF model (GMF, MLP or NeuMF) with DJL on PyTorch and evaluates HR/NDCG.")
public final class TrainCommand implements Callable<Integer> {

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "%nData:%n")
    DataOptions data;

    @Option(names = "--model", description = "gmf, mlp or neumf (default: ${DEFAULT-VALUE}).",
            defaultValue = "neumf")
    String model;

    @Option(names = "--factor", description = "Predictive factors: GMF's embedding size and the MLP's last layer "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int factor;

    @Option(names = "--layers", description = "MLP layer sizes; user and item embeddings are half the first "
            + "(default: the paper's tower for --factor f: 8f,4f,2f,f, so 64,32,16,8 at 8 and 512,256,128,64 at "
            + "64).", split = ",")
    int[] layers;

    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "20")
    int epochs;

    @Option(names = "--batch-size", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "256")
    int batchSize;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.001")
    float learningRate;

    @Option(names = "--optimizer", description = "adam: Adam computed on the embedding rows each batch uses, "
            + "the steps a row skipped caught up when it is next used (dense Adam's result; a step's cost does not "
            + "grow with the catalogue); lazy-adam: the rows a batch uses only (as PyTorch's SparseAdam); "
            + "dense-adam: every row every step; sgd (default: ${DEFAULT-VALUE}).", defaultValue = TrainConfig.ADAM)
    String optimizer;

    @Option(names = "--negatives", description = "Negatives per positive, sampled afresh every epoch "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int negatives;

    @Option(names = "--embedding-l2", description = "L2 weight on the batch's embeddings "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    float embeddingL2;

    @Option(names = "--layer-l2", description = "L2 weight on layer weights (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    float layerL2;

    @Option(names = "--seed", description = "Seeds the split, initialisation, sampling and shuffling "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--threads", description = "Training workers sharing the parameters (Hogwild; needs "
            + "adam or lazy-adam); 1 gives the same result for the same seed (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int threads;

    @Option(names = "--device", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE}).",
            defaultValue = "cpu")
    String device;

    @Option(names = "--top-k", description = "Cut-off of HR and NDCG (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int topK;

    @Option(names = "--no-full-ranking", fallbackValue = "true", description = "Skip the full-ranking evaluation at the end.")
    boolean noFullRanking;

    @Option(names = "--pretrained-gmf", paramLabel = "DIR", description = "NeuMF only: start from this saved "
            + "GMF model (the model/ folder of a GMF run).")
    Path pretrainedGmf;

    @Option(names = "--pretrained-mlp", paramLabel = "DIR", description = "NeuMF only: start from this saved "
            + "MLP model.")
    Path pretrainedMlp;

    @Option(names = "--alpha", description = "Weight of GMF in the pretrained output layer "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0.5")
    float alpha;

    @Option(names = "--fine-tune", description = "What trains in a NeuMF initialised from GMF and MLP: all "
            + "(every parameter, the paper's way) or output (the output layer only, weighing the pretrained GMF and "
            + "MLP features; embeddings and hidden layers stay as pretrained) (default: ${DEFAULT-VALUE}).",
            defaultValue = TrainConfig.FINE_TUNE_ALL)
    String fineTune;

    @Option(names = "--average-from", paramLabel = "EPOCH", description = "From this epoch on, the model evaluated, "
            + "chosen and saved is the mean of the parameters after each epoch since (tail averaging of the weights, "
            + "as in stochastic weight averaging; training goes on from the parameters themselves); 0 averages "
            + "nothing (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int averageFrom;

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

    private TrainingReport report;
    private final PrintStream out;
    private final PrintStream err;

    public TrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The report of the last successful run, for callers that run the command in-process. */
    public TrainingReport report() {
        return report;
    }

    @Override
    public Integer call() throws IOException {
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(Variant.parse(model), factor, layers != null ? layers : TrainConfig.tower(factor),
                    epochs, batchSize, learningRate, optimizer, negatives, embeddingL2, layerL2, seed, threads, topK,
                    !noFullRanking, pretrainedGmf, pretrainedMlp, alpha, fineTune, averageFrom);
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
        Split split = DatasetLoader.load(data, seed, err).requireTrainable();
        err.printf("%s (read in %.1f s)%n", split.summary(), (System.nanoTime() - t0) / 1e9);
        Engine engine = Engine.getEngine("PyTorch");
        DeviceChoice.Decision decision = DeviceChoice.choose(device, engine.getGpuCount(),
                engine.getEngineName() + " " + engine.getVersion());
        if (decision.note() != null) {
            err.println("device auto: " + decision.note());
        }
        EpochPrinter printer = new EpochPrinter(out, err, cfg.topK(), split.validation() != null);
        try {
            report = new TrainingRun(split, cfg, decision.device(), outDir, bundle, exportDir == null, printer,
                    data.describe(), resume).run();
        } catch (ResumeRefused e) {
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
