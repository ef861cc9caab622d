package org.ncf4j.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.eval.EvalUsers;
import org.ncf4j.trainer.export.BundleExporter;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.Pretraining;
import org.ncf4j.data.MachineMemory;
import org.ncf4j.trainer.model.SavedModel;
import org.ncf4j.trainer.optim.EpochTrainer;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.report.Provenance;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.FineTune;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;

/**
 * Trains one model on a split: evaluates HR/NDCG after every epoch ({@link EpochLoop}), keeps the best checkpoint
 * and, with validation items, the checkpoint of the best test HR ({@link BestCheckpoints}) in the output folder
 * ({@link RunFolder}), then writes the report and chart and exports the best model as a bundle when asked to
 * ({@link RunResults}). A NeuMF initialised from GMF and MLP is evaluated before training too, as epoch 0, a
 * candidate for the best epoch. After every epoch the run's state ({@link TrainingState}) is saved, so that a
 * stopped run can go on ({@code resume}, checked by {@link ResumeCheck}). With {@code --average-from}, the model
 * evaluated, chosen and saved from that epoch on is the mean of the parameters since ({@link WeightAverage});
 * training goes on from the parameters themselves.
 */
public final class TrainingRun {

    /** Told what the run is doing, for progress bars and logs. */
    public interface Listener {
        default void message(String line) {
        }

        default void epochStarted(int epoch, int epochs, long examples) {
        }

        default void progress(long examplesDone, double meanLoss) {
        }

        default void epochFinished(EpochRecord record, boolean best) {
        }
    }

    private final Split split;
    private final TrainConfig config;
    private final Device device;
    /** What the run holds, estimated before it starts ({@link #checkMemory}). */
    private MemoryPlan memory;
    private final RunFolder folder;
    private final Path exportDir;
    private final boolean replaceExport;
    private final Listener listener;
    private final String source;
    private final boolean resume;
    /** The fingerprint of the training pairs, which checkpoints and the resume state are saved with. */
    private final String fingerprint;
    /** The settings as the report records them, and the state to resume from is compared with. */
    private final Map<String, Object> settings;
    /** The held-out users the evaluations rank (a seeded sample of them past --eval-users). */
    private final EvalUsers evalUsers;

    private TrainingRun(Builder b) {
        this.split = Objects.requireNonNull(b.split, "split");
        this.config = Objects.requireNonNull(b.config, "config");
        this.folder = new RunFolder(Objects.requireNonNull(b.output, "output"));
        this.device = b.device;
        this.exportDir = b.exportDir;
        this.replaceExport = b.replaceExport;
        this.listener = b.listener;
        this.source = b.source;
        this.resume = b.resume;
        this.fingerprint = BundleExporter.fingerprint(split.train());
        this.settings = TrainSetting.report(config, device);
        this.evalUsers = EvalUsers.of(split, config.evalUsers(), config.fullRankingUsers(), config.seed());
    }

    public static Builder builder() {
        return new Builder();
    }

    public ModelShape spec() {
        return new ModelShape(config.variant(), split.numUsers(), split.numItems(), config.factor(),
                config.layers());
    }

    /** Trains, keeps the best checkpoints, writes the report and chart, and exports the best model if asked to. */
    public TrainingReport run() throws IOException {
        TrainingState.Progress saved = resume ? ResumeCheck.saved(folder, fingerprint, settings) : null;
        RunClock clock = saved == null ? RunClock.start() : RunClock.resumed(saved);
        boolean byValidation = split.validation() != null;
        BestCheckpoints epochs = saved == null ? BestCheckpoints.none(byValidation)
                : BestCheckpoints.resumed(byValidation, saved);
        int done = saved == null ? 0 : saved.epochsDone();
        checkMemory();
        try (NcfModel model = NcfModel.create(spec(), device, config.seed(), config.embeddingL2(), config.layerL2());
             WeightAverage average = new WeightAverage(model, config.seed());
             EpochTrainer trainer = saved == null ? startFresh(model)
                     : TrainingState.restore(folder.dir(), model, () -> newTrainer(model), average)) {
            if (resume) {
                ResumeCheck.requireResumable(trainer);
            }
            if (saved != null) {
                // the state is written before the best checkpoints: a kill in between left older ones
                keep(epochs.keptAt(done), config.averages(done) ? average.model() : model);
                folder.clearForResumedRun();
                listener.message(String.format("resuming %s after epoch %d of %d (best so far: epoch %d, HR@%d %.4f "
                        + "NDCG@%d %.4f)", folder.state(), done, config.epochs(), epochs.bestEpoch(), config.topK(),
                        epochs.bestHitRate(), config.topK(), epochs.bestNdcg()));
            } else {
                if (resume) {
                    listener.message("nothing to resume in " + folder.dir() + " (no " + TrainingState.FILE
                            + "): starting at epoch 1");
                }
                folder.clearForNewRun();
            }
            folder.writeHeldOut(split, evalUsers);
            announce(model, trainer, epochs.selectedBy(config.topK()));
            train(model, trainer, average, epochs, saved, clock);
        }
        try (NcfModel best = SavedModel.load(folder.model(), device)) {
            RunResults results = new RunResults(split, evalUsers, config, folder, listener);
            Engine engine = Engine.getEngine("PyTorch");
            TrainingReport report = results.report(best, epochs, settings, clock, Provenance.of(source, split.name(),
                    fingerprint, engine.getEngineName() + " " + engine.getVersion(), clock.started()));
            if (exportDir != null) {
                results.export(best, report, exportDir, replaceExport);
            }
            return report;
        }
    }

    /**
     * Trains the epochs after those {@code saved} holds (all of them when null), saving the state and the
     * checkpoints each one's model replaces; a NeuMF freshly initialised from GMF and MLP is kept first, as epoch 0.
     */
    private void train(NcfModel model, EpochTrainer trainer, WeightAverage average, BestCheckpoints epochs,
                       TrainingState.Progress saved, RunClock clock) throws IOException {
        int done = saved == null ? 0 : saved.epochsDone();
        boolean resumable = trainer.notResumable() == null;
        JsonNode settingsToMatch = ResumeCheck.comparable(settings);
        try (EpochLoop loop = new EpochLoop(split, evalUsers, config, model, trainer, average, done, clock, listener)) {
            if (config.pretrained() && saved == null) {
                keep(epochs.add(loop.initial()), model);
            }
            for (int epoch = done + 1; epoch <= config.epochs(); epoch++) {
                EpochLoop.Epoch e = loop.train(epoch);
                BestCheckpoints.Kept kept = epochs.add(e.record());
                if (resumable) {
                    saveState(epochs.progress(clock.seconds(), clock.started().toString(), settingsToMatch,
                            fingerprint, average.count()), model, trainer, average);
                }
                keep(kept, e.evaluated());
                listener.epochFinished(e.record(), kept.best());
            }
        }
    }

    /**
     * Writes the resume state, which is written beside the previous one and then replaces it (so the disk holds two
     * for as long as the write takes), unless the disk lacks that room: then the run goes on without it and says
     * so. A state of a gigabyte or more says its size and how long it took.
     */
    private void saveState(TrainingState.Progress progress, NcfModel model, EpochTrainer trainer,
                           WeightAverage average) throws IOException {
        long estimate = memory.parameterBytes() + memory.optimizerBytes() + (average.count() > 0
                ? memory.parameterBytes() : 0);
        long usable = java.nio.file.Files.getFileStore(folder.dir()).getUsableSpace();
        if (usable < estimate + (64L << 20)) {
            listener.message(String.format("resume state not written after epoch %d: it takes about %s and the "
                    + "disk of %s has %s free; --resume will go on from the last state written",
                    progress.epochsDone(), MachineMemory.gb(estimate), folder.dir(), MachineMemory.gb(usable)));
            return;
        }
        long t0 = System.nanoTime();
        TrainingState.write(folder.dir(), progress, model, trainer, average);
        long size = java.nio.file.Files.size(folder.dir().resolve(TrainingState.FILE));
        if (size >= 1_000_000_000L) {
            listener.message(String.format("resume state: %s written in %.1f s (the disk holds it twice while it "
                    + "is written)", MachineMemory.gb(size), (System.nanoTime() - t0) / 1e9));
        }
    }

    /** Saves {@code model} as the checkpoints it replaces. */
    private void keep(BestCheckpoints.Kept kept, NcfModel model) throws IOException {
        if (kept.best()) {
            SavedModel.save(model, folder.model(), fingerprint);
        }
        if (kept.byTest()) {
            SavedModel.save(model, folder.modelByTest(), fingerprint);
        }
    }

    /** The trainer of a run that starts afresh, after the model is initialised from GMF and MLP when asked to. */
    private EpochTrainer startFresh(NcfModel model) throws IOException {
        if (config.pretrained()) {
            pretrain(model);
        }
        return newTrainer(model); // made after the parameters are set: the trainer views their memory
    }

    private EpochTrainer newTrainer(NcfModel model) {
        return new EpochTrainer(model, config.optimizer(), config.learningRate(), config.batchSize(),
                config.threads(), config::trains);
    }

    private void pretrain(NcfModel model) throws IOException {
        SavedModel.requireTrainedOn(config.pretrainedGmf(), fingerprint, "the pretrained GMF model");
        SavedModel.requireTrainedOn(config.pretrainedMlp(), fingerprint, "the pretrained MLP model");
        try (NcfModel gmf = SavedModel.load(config.pretrainedGmf(), device);
             NcfModel mlp = SavedModel.load(config.pretrainedMlp(), device)) {
            Pretraining.initialise(model, gmf, mlp, config.alpha());
        }
        listener.message(String.format("initialised from GMF %s and MLP %s (alpha %.2f)%s", config.pretrainedGmf(),
                config.pretrainedMlp(), config.alpha(), config.fineTune() == FineTune.OUTPUT
                        ? "; only the output layer trains (embeddings and hidden layers stay as pretrained)" : ""));
    }

    /**
     * Says what the run will hold where, and refuses it ({@link MemoryRefused}) before anything is allocated when it
     * cannot fit ({@link MemoryPlan}).
     */
    private void checkMemory() {
        MemoryPlan plan = MemoryPlan.of(spec(), config, split.train().size(),
                ai.djl.Device.Type.CPU.equals(device.getDeviceType()));
        memory = plan;
        Runtime rt = Runtime.getRuntime();
        System.gc(); // what the data holds, not its garbage
        String refusal = plan.refusal(MachineMemory.now(), rt.maxMemory(), rt.totalMemory() - rt.freeMemory(),
                rt.totalMemory());
        if (refusal != null) {
            throw new MemoryRefused(refusal);
        }
        listener.message(plan.describe(rt.maxMemory()));
    }

    private void announce(NcfModel model, EpochTrainer trainer, String selectedBy) {
        long parameters = model.parameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        listener.message(String.format("training %s (%,d parameters) on %s, %s", model.spec(), parameters, device,
                selectedBy + " picks the best epoch"));
        listener.message("optimizer: " + trainer.optimizerDescription() + ", learning rate "
                + config.learningRate() + ", batch size " + config.batchSize());
        if (config.averageFrom() > 0) {
            listener.message(String.format("from epoch %d on, the model evaluated, chosen and saved is the mean"
                    + " of the parameters after each epoch since (--average-from %1$d)", config.averageFrom()));
        }
    }

    /** Names a run's inputs: the split, the config and the output folder are required, the rest optional. */
    public static final class Builder {
        private Split split;
        private TrainConfig config;
        private Path output;
        private Device device = Device.cpu();
        private Path exportDir;
        private boolean replaceExport;
        private Listener listener = new Listener() { };
        private String source;
        private boolean resume;

        private Builder() {
        }

        public Builder setSplit(Split split) {
            this.split = split;
            return this;
        }

        public Builder setConfig(TrainConfig config) {
            this.config = config;
            return this;
        }

        /** The output folder: best checkpoint, report, chart, held-out items, resume state ({@link RunFolder}). */
        public Builder setOutput(Path output) {
            this.output = output;
            return this;
        }

        /** Where to train; the CPU by default. */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Exports the best model as a bundle to {@code dir} at the end; with {@code replace} a bundle already there
         * is replaced (for the run's own {@code <out>/bundle}), otherwise {@code dir} must not exist.
         */
        public Builder optExport(Path dir, boolean replace) {
            this.exportDir = dir;
            this.replaceExport = replace;
            return this;
        }

        public Builder optListener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The data source as the user gave it (e.g. "--ncf-split /data/ml-1m-ncf"), recorded in the report's and the
         * bundle card's provenance.
         */
        public Builder optSource(String source) {
            this.source = source;
            return this;
        }

        /**
         * With {@code resume}, a run whose state the output folder holds goes on from its last finished epoch, up
         * to the config's epochs, and a run with no saved state starts afresh. The settings must be those the run
         * started with, but those that may change ({@link TrainSetting#mayChangeOnResume()}).
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        public TrainingRun build() {
            return new TrainingRun(this);
        }
    }
}
