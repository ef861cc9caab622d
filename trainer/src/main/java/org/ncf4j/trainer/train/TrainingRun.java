package org.ncf4j.trainer.train;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ncf4j.data.Directories;
import org.ncf4j.data.HeldOutFile;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.export.BundleExporter;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.model.Pretraining;
import org.ncf4j.trainer.model.SavedModel;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.report.Provenance;
import org.ncf4j.trainer.report.TrainingChart;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.sampling.EpochExamples;
import org.ncf4j.trainer.sampling.NegativeSampler;
import org.ncf4j.trainer.settings.FineTune;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;

/**
 * Trains one model on a split: samples each epoch's negatives on a background thread while the previous epoch
 * trains, evaluates HR/NDCG after every epoch, keeps the best checkpoint in {@code <out>/model} (chosen by
 * validation HR when the split has validation items, else by test HR), and writes {@code report.json},
 * {@code training.png} and the held-out items ({@code test.negative}, {@code validation.negative}) to the output
 * directory, and exports the best model as a bundle when asked to. A NeuMF initialised from GMF and MLP is
 * evaluated before training too, as epoch 0, a candidate for the best epoch. After every epoch the run's state
 * ({@link TrainingState}) is saved, so that a stopped run can go on ({@code resume}). With validation items, the
 * checkpoint of the best test HR is kept as well, in {@code <out>/model-by-test}: the part a NeuMF is pretrained
 * from under the paper's protocol, which chooses every checkpoint by test HR (as the authors' code saves it).
 * With {@code --average-from}, the model evaluated, chosen and saved from that epoch on is the mean of the
 * parameters since ({@link WeightAverage}); training goes on from the parameters themselves.
 */
public final class TrainingRun {
    /** Sizes of the evaluation batches (pairs per forward pass). */
    private static final int EVAL_BATCH = 1 << 16;
    /** The folder of the checkpoint with the best test HR, kept beside {@code model} when validation chooses it. */
    public static final String MODEL_BY_TEST = "model-by-test";

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
    private final Path out;
    private final Path exportDir;
    private final boolean replaceExport;
    private final Listener listener;
    private final String source;
    private final boolean resume;

    /**
     * @param split the data
     * @param config the training settings
     * @param device where to train
     * @param out the output folder (best checkpoint, report, chart)
     * @param exportDir where to export the best model as a bundle at the end, or null for none
     * @param replaceExport whether an existing bundle at {@code exportDir} is replaced (for the run's own
     *     {@code <out>/bundle}); otherwise it must not exist
     * @param listener told about progress, or null
     */
    public TrainingRun(Split split, TrainConfig config, Device device, Path out, Path exportDir,
                       boolean replaceExport, Listener listener) {
        this(split, config, device, out, exportDir, replaceExport, listener, null);
    }

    /**
     * As above, with the data source as the user gave it (e.g. "--ncf-split /data/ml-1m-ncf"), recorded in the
     * report's and the bundle card's provenance; null when not known.
     */
    public TrainingRun(Split split, TrainConfig config, Device device, Path out, Path exportDir,
                       boolean replaceExport, Listener listener, String source) {
        this(split, config, device, out, exportDir, replaceExport, listener, source, false);
    }

    /**
     * As above; with {@code resume}, a run whose state {@code out} holds ({@link TrainingState}, saved after every
     * epoch) goes on from its last finished epoch, up to {@code config.epochs()}, and a run with no saved state
     * starts afresh. The settings must be those the run started with, but the number of epochs and of workers.
     */
    public TrainingRun(Split split, TrainConfig config, Device device, Path out, Path exportDir,
                       boolean replaceExport, Listener listener, String source, boolean resume) {
        this.resume = resume;
        this.source = source;
        this.split = split;
        this.config = config;
        this.device = device;
        this.out = out;
        this.exportDir = exportDir;
        this.replaceExport = replaceExport;
        this.listener = listener == null ? new Listener() { } : listener;
    }

    public ModelShape spec() {
        return new ModelShape(config.variant(), split.numUsers(), split.numItems(), config.factor(),
                config.layers());
    }

    public TrainingReport run() throws IOException {
        ModelShape spec = spec();
        Path modelDir = out.resolve("model");
        boolean byValidation = split.validation() != null;
        String fingerprint = BundleExporter.fingerprint(split.train());
        String selectedBy = (byValidation ? "validation" : "test") + " HR@" + config.topK();
        TrainingState.Progress saved = resume ? savedProgress(fingerprint) : null;
        long start = System.nanoTime() - (saved == null ? 0 : (long) (saved.elapsedSeconds() * 1e9));
        java.time.Instant started = saved == null ? java.time.Instant.now() : java.time.Instant.parse(saved.started());
        List<EpochRecord> records = new ArrayList<>(saved == null ? List.of() : saved.records());
        int done = saved == null ? 0 : saved.epochsDone();
        int bestEpoch = saved == null ? 0 : saved.bestEpoch();
        double bestScore = saved == null ? -1 : saved.bestScore();
        double bestHitRate = saved == null ? 0 : saved.bestHitRate();
        double bestNdcg = saved == null ? 0 : saved.bestNdcg();
        EpochRecord initial = saved == null ? null : saved.initial();
        Path byTestDir = byValidation ? out.resolve(MODEL_BY_TEST) : null;
        EpochRecord bestByTest = EpochRecord.bestByTest(TrainingReport.candidates(initial, records));
        ExecutorService sampling = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "negative-sampler");
            t.setDaemon(true);
            return t;
        });
        try (NcfModel model = NcfModel.create(spec, device, config.seed(), config.embeddingL2(), config.layerL2());
             WeightAverage average = new WeightAverage(model, config.seed())) {
            java.util.function.Supplier<EpochTrainer> newTrainer = () -> new EpochTrainer(model,
                    config.optimizer(), config.learningRate(), config.batchSize(), config.threads(), config::trains);
            final EpochTrainer trainer;
            if (saved != null) {
                trainer = TrainingState.restore(out, model, newTrainer, average);
            } else {
                if (config.pretrained()) {
                    pretrain(model, fingerprint);
                }
                // made after the parameters are set: the trainer views their memory
                trainer = newTrainer.get();
            }
            try (trainer) {
                if (resume && trainer.notResumable() != null) {
                    throw new ResumeRefused(trainer.notResumable());
                }
                if (saved != null) {
                    // the state is written before the best checkpoints: a kill in between left older ones
                    NcfModel last = config.averages(done) ? average.model() : model; // the one epoch `done` chose
                    if (bestEpoch == done) {
                        SavedModel.save(last, modelDir, fingerprint);
                    }
                    if (byTestDir != null && bestByTest != null && bestByTest.epoch() == done) {
                        SavedModel.save(last, byTestDir, fingerprint);
                    }
                    clearOutput(null);
                    listener.message(String.format("resuming %s after epoch %d of %d (best so far: epoch %d, HR@%d "
                            + "%.4f NDCG@%d %.4f)", out.resolve(TrainingState.FILE), done, config.epochs(), bestEpoch,
                            config.topK(), bestHitRate, config.topK(), bestNdcg));
                } else {
                    if (resume) {
                        listener.message("nothing to resume in " + out + " (no " + TrainingState.FILE
                                + "): starting at epoch 1");
                    }
                    clearOutput(modelDir);
                }
                writeHeldOut();
                listener.message(String.format("training %s (%,d parameters) on %s, %s", spec,
                        parameterCount(model), device, selectedBy + " picks the best epoch"));
                NegativeSampler sampler = new NegativeSampler(split.train(), config.negatives(), config.seed());
                listener.message("optimizer: " + trainer.optimizerDescription() + ", learning rate "
                        + config.learningRate() + ", batch size " + config.batchSize());
                if (config.averageFrom() > 0) {
                    listener.message(String.format("from epoch %d on, the model evaluated, chosen and saved is the mean"
                            + " of the parameters after each epoch since (--average-from %1$d)", config.averageFrom()));
                }
                SampledEvaluator test = new SampledEvaluator(split.test(), config.topK(), EVAL_BATCH);
                SampledEvaluator validation = byValidation
                        ? new SampledEvaluator(split.validation(), config.topK(), EVAL_BATCH) : null;
                Future<EpochExamples> next = sampling.submit(() -> sampler.sample(done));
                boolean resumable = trainer.notResumable() == null;
                com.fasterxml.jackson.databind.JsonNode settingsToMatch = resumeSettings();
                if (config.pretrained() && saved == null) {
                    // epoch 0: the initialised model is a candidate too, so fine-tuning is kept only if it does better
                    EvalResult t = test.evaluate(model);
                    EvalResult v = validation == null ? null : validation.evaluate(model);
                    listener.message(String.format("the initialised model, before training: HR@%d %.4f NDCG@%d %.4f%s",
                            config.topK(), t.hitRate(), config.topK(), t.ndcg(), v == null ? ""
                                    : String.format(" (validation HR %.4f NDCG %.4f)", v.hitRate(), v.ndcg())));
                    initial = new EpochRecord(0, 0, t.hitRate(), t.ndcg(), v == null ? null : v.hitRate(),
                            v == null ? null : v.ndcg(), 0, 0, t.seconds() + (v == null ? 0 : v.seconds()), 0,
                            (System.nanoTime() - start) / 1e9);
                    bestScore = v == null ? t.hitRate() : v.hitRate();
                    bestHitRate = t.hitRate();
                    bestNdcg = t.ndcg();
                    SavedModel.save(model, modelDir, fingerprint);
                    bestByTest = initial;
                    if (byTestDir != null) {
                        SavedModel.save(model, byTestDir, fingerprint);
                    }
                }
                for (int epoch = done + 1; epoch <= config.epochs(); epoch++) {
                    long w0 = System.nanoTime();
                    EpochExamples examples = await(next);
                    double waited = (System.nanoTime() - w0) / 1e9;
                    if (epoch < config.epochs()) {
                        int e = epoch;
                        next = sampling.submit(() -> sampler.sample(e));
                    }
                    listener.epochStarted(epoch, config.epochs(), examples.size());
                    long t0 = System.nanoTime();
                    double loss = trainer.train(examples, listener::progress);
                    double trainSeconds = (System.nanoTime() - t0) / 1e9;
                    NcfModel evaluated = config.averages(epoch) ? average.add() : model;
                    EvalResult t = test.evaluate(evaluated);
                    EvalResult v = validation == null ? null : validation.evaluate(evaluated);
                    double score = v == null ? t.hitRate() : v.hitRate();
                    boolean best = score > bestScore;
                    if (best) {
                        bestScore = score;
                        bestEpoch = epoch;
                        bestHitRate = t.hitRate();
                        bestNdcg = t.ndcg();
                    }
                    EpochRecord record = new EpochRecord(epoch, loss, t.hitRate(), t.ndcg(),
                            v == null ? null : v.hitRate(), v == null ? null : v.ndcg(),
                            examples.size() / trainSeconds, trainSeconds, t.seconds() + (v == null ? 0 : v.seconds()),
                            waited, (System.nanoTime() - start) / 1e9);
                    records.add(record);
                    if (resumable) {
                        TrainingState.write(out, new TrainingState.Progress(epoch, bestEpoch, bestScore, bestHitRate,
                                bestNdcg, records, initial, (System.nanoTime() - start) / 1e9, started.toString(),
                                settingsToMatch, fingerprint, average.count()), model, trainer, average);
                    }
                    if (best) {
                        SavedModel.save(evaluated, modelDir, fingerprint);
                    }
                    if (bestByTest == null || t.hitRate() > bestByTest.hitRate()) {
                        bestByTest = record;
                        if (byTestDir != null) {
                            SavedModel.save(evaluated, byTestDir, fingerprint);
                        }
                    }
                    listener.epochFinished(record, best);
                }
            }
        } finally {
            sampling.shutdownNow();
        }
        Map<String, Object> full = null;
        try (NcfModel best = SavedModel.load(modelDir, device)) {
            if (config.fullRanking()) {
                EvalResult f = new FullRankingEvaluator(split.test(), split.train(), split.validation(),
                        config.topK(), EVAL_BATCH).evaluate(best);
                full = new LinkedHashMap<>();
                full.put("hitRate", f.hitRate());
                full.put("ndcg", f.ndcg());
                full.put("users", f.users());
                full.put("seconds", f.seconds());
                listener.message(String.format("full ranking (best epoch %d, test item against all %,d items the "
                        + "user has not interacted with): HR@%d %.4f NDCG@%d %.4f (%.1f s)", bestEpoch,
                        split.numItems(), config.topK(), f.hitRate(), config.topK(), f.ndcg(), f.seconds()));
            }
            ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
            TrainingReport report = new TrainingReport(split.summary(), settings(), records, initial, bestEpoch,
                    selectedBy, bestHitRate, bestNdcg, full, (System.nanoTime() - start) / 1e9,
                    Provenance.of(source, split.name(), fingerprint, engine.getEngineName() + " "
                            + engine.getVersion(), started));
            report.write(out.resolve("report.json"));
            TrainingChart.write(report, config.topK(), out.resolve("training.png"));
            if (exportDir != null) {
                long e0 = System.nanoTime();
                if (replaceExport) {
                    Directories.deleteTree(exportDir);
                }
                BundleExporter.export(best, split, report, exportDir);
                listener.message(String.format("exported the best model (epoch %d) to %s in %.2f s", bestEpoch,
                        exportDir, (System.nanoTime() - e0) / 1e9));
            }
            return report;
        }
    }

    /**
     * Everything that could fail before training has been checked: make the output folder and remove what an
     * earlier run left there, so a checkpoint is never found next to another run's report; a resumed run
     * ({@code modelDir} null) keeps its best checkpoint.
     */
    private void clearOutput(Path modelDir) throws IOException {
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("report.json"));
        Files.deleteIfExists(out.resolve("training.png"));
        Files.deleteIfExists(out.resolve(HeldOutFile.VALIDATION));
        if (modelDir != null) {
            Files.deleteIfExists(out.resolve(TrainingState.FILE));
            Directories.deleteTree(modelDir);
            Directories.deleteTree(out.resolve(MODEL_BY_TEST));
        }
    }

    /**
     * The state saved in {@code out}, checked against this run's settings and data, or null when there is none.
     */
    private TrainingState.Progress savedProgress(String fingerprint) throws IOException {
        TrainingState.Progress saved = TrainingState.readProgress(out);
        if (saved == null) {
            return null;
        }
        Path file = out.resolve(TrainingState.FILE);
        if (!fingerprint.equals(saved.dataFingerprint())) {
            throw new ResumeRefused(file + " was saved by a run on other data than the "
                    + "data given (the training pairs differ)");
        }
        List<String> changed = TrainingState.differences(saved.settings(), resumeSettings());
        if (!changed.isEmpty()) {
            throw new ResumeRefused(file + " was saved with other settings: "
                    + String.join(", ", changed) + "; only --epochs and --threads may change");
        }
        if (!Files.isDirectory(out.resolve("model"))) {
            throw new org.ncf4j.data.DataException(out.resolve("model") + " (the best checkpoint) is missing; "
                    + "start the run again without --resume");
        }
        return saved;
    }

    /**
     * The settings a resumed run must share with the run that saved the state, as read back from JSON (so that
     * they compare equal to the saved ones).
     */
    private com.fasterxml.jackson.databind.JsonNode resumeSettings() throws IOException {
        Map<String, Object> s = settings();
        s.remove("epochs");
        s.remove("threads");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        return json.readTree(json.writeValueAsBytes(s));
    }

    /**
     * The run's held-out items, in external ids, as {@code test.negative} (and {@code validation.negative} when
     * there are validation items): what {@code ncf evaluate} needs to evaluate the exported model through a server
     * with the same candidates as here.
     */
    private void writeHeldOut() {
        HeldOutFile.write(out.resolve(HeldOutFile.TEST), split.test(), split.users(), split.items());
        if (split.validation() != null) {
            HeldOutFile.write(out.resolve(HeldOutFile.VALIDATION), split.validation(), split.users(), split.items());
        }
    }

    private void pretrain(NcfModel model, String fingerprint) throws IOException {
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

    private Map<String, Object> settings() {
        return TrainSetting.report(config, device);
    }

    private static long parameterCount(NcfModel model) {
        return model.parameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    private static EpochExamples await(Future<EpochExamples> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sampling negatives", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("negative sampling failed: " + e.getCause(), e.getCause());
        }
    }
}
