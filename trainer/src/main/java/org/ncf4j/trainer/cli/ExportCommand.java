package org.ncf4j.trainer.cli;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.bundle.BundleWriter;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.export.BundleExporter;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.SavedModel;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;
import org.ncf4j.trainer.train.RunFolder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ncf-export}: exports a saved checkpoint as a bundle. The bundle needs the ids and training items of the
 * data the model was trained on, so the data flags are those of the training run; the data's
 * fingerprint is checked against the one saved with the checkpoint.
 */
@Command(name = "ncf-export", mixinStandardHelpOptions = true, sortOptions = false, version = "ncf-export 0.1.0",
        description = "Exports a trained checkpoint as a model bundle (ONNX graphs, card, id maps, seen items, "
                + "popularity).")
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "The saved model: the "
            + "model/ folder of a training run.")
    Path checkpoint;

    @Option(names = "--report", paramLabel = "FILE", description = "The run's report.json, for the card's "
            + "settings and metrics (default: report.json next to the checkpoint, when there).")
    Path report;

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "%nData (as given to ncf-train):%n")
    DataOptions data;

    @Option(names = "--seed", description = "The training run's --seed: with --validation it draws the held-out "
            + "validation items, so the training pairs depend on it (default: the seed in the run's report.json, "
            + "else 1).")
    Long seed;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The bundle directory to "
            + "create, e.g. models/neumf/2; must not exist.")
    Path output;

    private final PrintStream out;
    private final PrintStream err;

    public ExportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        BundleWriter.requireAbsent(output);
        SavedModel.readSpec(checkpoint);
        Path reportFile = report != null ? report : checkpoint.toAbsolutePath().getParent()
                .resolve(RunFolder.REPORT);
        TrainingReport training = Files.isRegularFile(reportFile) ? TrainingReport.read(reportFile) : null;
        long splitSeed = seed != null ? seed : training != null
                && training.settings().get(TrainSetting.SEED.key()) instanceof Number n ? n.longValue()
                : TrainConfig.builder().build().seed();
        // the seed draws evaluation negatives (not in a bundle) and, with --validation, which items are held out
        Split split = DatasetLoader.load(data, splitSeed, err).requireTrainable();
        SavedModel.requireTrainedOn(checkpoint, BundleExporter.fingerprint(split.train()), "the model");
        long t0 = System.nanoTime();
        try (NcfModel model = SavedModel.load(checkpoint, Device.cpu())) {
            BundleCard card = BundleExporter.export(model, split, training, output);
            out.printf("exported %s (%d users, %d items) to %s in %.2f s%n", card.variant(), card.numUsers(),
                    card.numItems(), output, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(CommandRunner.run(new ExportCommand(System.out, System.err), "ncf-export", System.out,
                System.err, args));
    }
}
