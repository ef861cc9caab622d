package org.ncf4j.trainer.train;

import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ncf4j.data.DataException;
import org.ncf4j.data.Directories;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.optim.EpochTrainer;
import org.ncf4j.trainer.optim.NamedArrays;
import org.ncf4j.trainer.report.EpochRecord;

/**
 * What a run needs to go on after its last finished epoch as if it had not stopped: the parameters, the
 * optimizer's state (moments, step count), the records of the epochs so far and the best of them. Written after
 * every epoch to {@code <out>/resume.state}, atomically, so that a kill mid-write leaves the previous epoch's state;
 * read by {@code ncf-train --resume}. Epoch {@code e}'s examples depend only on the seed and {@code e}
 * ({@link org.ncf4j.trainer.sampling.NegativeSampler}), so with one training worker a resumed run's figures are
 * the uninterrupted run's.
 *
 * <p>The file: a magic line, the header ({@link Progress}) as JSON, then named arrays ({@link NamedArrays}: the
 * parameters in definition order, then the optimizer's, then the mean of the parameters when there is one), each
 * checked by name and length when read.
 */
final class TrainingState {
    static final String FILE = "resume.state";
    private static final String MAGIC = "ncf4j-training-state-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The run's progress at an epoch's end.
     *
     * @param epochsDone epochs trained
     * @param bestEpoch the epoch whose checkpoint is in {@code <out>/model}
     * @param bestScore the score that chose it (validation or test HR)
     * @param bestHitRate test HR of the best epoch
     * @param bestNdcg test NDCG of the best epoch
     * @param records one per epoch done
     * @param initial the initialised model's figures (epoch 0), or null
     * @param elapsedSeconds the run's time so far (training, evaluation and saving)
     * @param started when the run started, ISO-8601
     * @param settings the settings that decide the result, but the number of epochs and of workers
     * @param dataFingerprint the training data's fingerprint
     * @param averaged the number of epochs in the mean of the parameters ({@code --average-from}; 0 in states
     *     written without it)
     */
    record Progress(int epochsDone, int bestEpoch, double bestScore, double bestHitRate, double bestNdcg,
                    List<EpochRecord> records, EpochRecord initial, double elapsedSeconds, String started, JsonNode settings,
                    String dataFingerprint, int averaged) {
    }

    private TrainingState() {
    }

    /**
     * Saves the progress, the model's parameters, the trainer's optimizer state and the mean of the parameters
     * ({@code progress.averaged()} epochs of {@code average}) in {@code out}.
     */
    static void write(Path out, Progress progress, NcfModel model, EpochTrainer trainer, WeightAverage average)
            throws IOException {
        Directories.writeAtomically(out.resolve(FILE), tmp -> {
            try (DataOutputStream s = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    1 << 20))) {
                s.writeUTF(MAGIC);
                byte[] header = JSON.writeValueAsBytes(progress);
                s.writeInt(header.length);
                s.write(header);
                for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
                    NamedArrays.write(s, e.getKey(), e.getValue().getArray());
                }
                trainer.writeState(s);
                average.write(s);
            }
        });
    }

    /** The progress saved in {@code out}, or null when there is none. */
    static Progress readProgress(Path out) throws IOException {
        Path file = out.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream s = open(file)) {
            return header(s, file);
        }
    }

    /**
     * Loads the saved parameters into {@code model}, then makes its trainer ({@code newTrainer}, after the
     * parameters are set: a trainer views their memory) and loads the optimizer's saved state into it, then the
     * mean of the parameters into {@code average}, in one pass over the file.
     */
    static EpochTrainer restore(Path out, NcfModel model, java.util.function.Supplier<EpochTrainer> newTrainer,
                                WeightAverage average) throws IOException {
        EpochTrainer[] made = new EpochTrainer[1];
        restore(out, (s, progress) -> {
            for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
                NamedArrays.read(s, e.getKey(), e.getValue().getArray());
            }
            made[0] = newTrainer.get();
            made[0].readState(s);
            average.read(s, progress.averaged());
            if (s.read() != -1) {
                throw new IOException("more data than this model, optimizer and mean of the parameters hold");
            }
        });
        return made[0];
    }

    private interface Reader {
        void read(DataInputStream s, Progress progress) throws IOException;
    }

    private static void restore(Path out, Reader reader) throws IOException {
        Path file = out.resolve(FILE);
        try (DataInputStream s = open(file)) {
            reader.read(s, header(s, file));
        } catch (EOFException e) {
            throw new DataException(file + ": the file ends early (truncated); start the run again without "
                    + "--resume", e);
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(file + ": " + e.getMessage() + "; start the run again without --resume", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(in, 1 << 20));
    }

    private static Progress header(DataInputStream s, Path file) throws IOException {
        try {
            if (!MAGIC.equals(s.readUTF())) {
                throw new DataException(file + ": not a training state written by this version of ncf-train");
            }
            byte[] header = new byte[s.readInt()];
            s.readFully(header);
            return JSON.readValue(header, Progress.class);
        } catch (EOFException | java.io.UTFDataFormatException | OutOfMemoryError
                 | NegativeArraySizeException e) {
            throw new DataException(file + ": not a complete training state (" + e.getClass().getSimpleName()
                    + "); start the run again without --resume", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataException(file + ": its header is not valid (" + e.getOriginalMessage() + ")", e);
        }
    }
}
