package org.ncf4j.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ncf4j.data.Directories;
import org.ncf4j.data.HeldOutFile;
import org.ncf4j.trainer.eval.EvalUsers;
import org.ncf4j.data.Split;

/**
 * A run's output folder: the best checkpoint ({@code model}), with validation items the checkpoint of the best test
 * HR as well ({@code model-by-test}), {@code report.json}, {@code training.png}, the held-out items and the state a
 * stopped run resumes from ({@link TrainingState}). Before a run trains, what an earlier run left there goes, so that
 * a checkpoint is never found next to another run's report.
 */
public final class RunFolder {
    /** The folder of the best checkpoint. */
    public static final String MODEL = "model";
    /** The folder of the checkpoint with the best test HR, kept beside {@code model} when validation chooses it. */
    public static final String MODEL_BY_TEST = "model-by-test";
    public static final String REPORT = "report.json";
    public static final String CHART = "training.png";

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path model() {
        return dir.resolve(MODEL);
    }

    public Path modelByTest() {
        return dir.resolve(MODEL_BY_TEST);
    }

    public Path report() {
        return dir.resolve(REPORT);
    }

    public Path chart() {
        return dir.resolve(CHART);
    }

    /** The saved state of the run, after its last finished epoch. */
    public Path state() {
        return dir.resolve(TrainingState.FILE);
    }

    /**
     * Makes the folder and removes everything an earlier run left: its checkpoints, state, report, chart and
     * held-out items. Called once everything that could fail before training has been checked.
     */
    void clearForNewRun() throws IOException {
        clearResults();
        Files.deleteIfExists(state());
        Directories.deleteTree(model());
        Directories.deleteTree(modelByTest());
    }

    /**
     * Makes the folder and removes the results of the run being resumed (report, chart, held-out items, all written
     * again), keeping its checkpoints and state.
     */
    void clearForResumedRun() throws IOException {
        clearResults();
    }

    private void clearResults() throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(report());
        Files.deleteIfExists(chart());
        Files.deleteIfExists(dir.resolve(HeldOutFile.VALIDATION));
    }

    /**
     * Writes the run's held-out items, in external ids, as {@code test.negative} (and {@code validation.negative}
     * when there are validation items): what {@code ncf evaluate} needs to evaluate the exported model through a
     * server with the same candidates as here. These are the users each epoch ranks: a seeded sample of them
     * when {@code --eval-users} leaves some out.
     */
    void writeHeldOut(Split split, EvalUsers users) {
        HeldOutFile.write(dir.resolve(HeldOutFile.TEST), users.test(), split.users(), split.items());
        if (users.validation() != null) {
            HeldOutFile.write(dir.resolve(HeldOutFile.VALIDATION), users.validation(), split.users(), split.items());
        }
    }
}
