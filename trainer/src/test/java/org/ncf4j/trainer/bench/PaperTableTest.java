package org.ncf4j.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.report.TrainingReport;

class PaperTableTest {
    @TempDir
    Path out;

    /** A run whose validation HR peaks at epoch 2 and whose test HR peaks at epoch 3. */
    private void run(int factor, long seed, String model, double shift) throws Exception {
        List<EpochRecord> epochs = List.of(
                new EpochRecord(1, 0.3, 0.60 + shift, 0.35 + shift, 0.50, 0.30, 1, 1, 1, 0, 1),
                new EpochRecord(2, 0.2, 0.65 + shift, 0.38 + shift, 0.70, 0.40, 1, 1, 1, 0, 2),
                new EpochRecord(3, 0.1, 0.70 + shift, 0.41 + shift, 0.60, 0.35, 1, 1, 1, 0, 3));
        Path dir = Files.createDirectories(out.resolve("f" + factor + "/s" + seed + "/" + model));
        new TrainingReport("ml-1m", Map.of("seed", seed, "epochs", 3, "optimizer", "adam", "learningRate", 0.001),
                epochs, null, 2, "validation HR@10", 0.65 + shift,
                0.38 + shift, null, 3600, null, null).write(dir.resolve("report.json"));
    }

    @Test
    void readsEachRunAtItsValidationEpochAndAtItsBestTestEpochAndAveragesSeeds() throws Exception {
        run(8, 1, "neumf-pre", 0.0);
        run(8, 2, "neumf-pre", 0.02);
        run(16, 1, "gmf", 0.0);
        run(8, 1, "neumf-pre-test", 0.01);
        Files.createDirectories(out.resolve("f8/s3/mlp.partial")); // an interrupted run is not read
        List<PaperTable.Run> runs = PaperTable.read(out);
        assertEquals(4, runs.size());
        String table = PaperTable.markdown(runs, 7200);
        // validation chose epoch 2 (HR 0.65 and 0.67), the best test epoch is 3 (HR 0.70 and 0.72)
        assertTrue(table.contains("| 8 | NeuMF, pretrained | 0.6600 ± 0.0141 | 0.3900 ± 0.0141 | 0.7100 ± 0.0141 | "
                + "0.4200 ± 0.0141 | 0.684 / 0.403 | 2 | 2/3, 2/3 | 3 epochs, adam 0.001 |"), table);
        assertTrue(table.contains("| 16 | GMF | 0.6500 | 0.3800 | 0.7000 | 0.4100 |  | 1 | 2/3 |"), table);
        // pretrained from the parts' best test epochs: the test set chose throughout, so no validation figures
        assertTrue(table.contains("| 8 | NeuMF, pretrained from the parts' best test epochs |  |  | 0.7100 | 0.4200 | "
                + "0.684 / 0.403 | 1 | -/3 |"), table);
        assertTrue(table.contains("4 runs; their training and evaluation took 4.0 h in all; the script's wall "
                + "time so far 2.0 h."), table);
        PaperTable.chart(runs, out.resolve("factors.png"));
        assertTrue(Files.size(out.resolve("factors.png")) > 1000);
    }

    /** Invocations side by side are counted once: the wall time is the time at least one of them ran. */
    @Test
    void theWallTimeCountsOverlappingInvocationsOnce() {
        assertEquals(0, PaperTable.wallSeconds(List.of()));
        assertEquals(300, PaperTable.wallSeconds(List.of("1000 1100 100 jobs=2", "1200 1400 200 jobs=1")));
        // 1000-1500 with 1100-1300 inside it and 1400-1600 overlapping its end, out of order: 1000-1600
        assertEquals(600, PaperTable.wallSeconds(List.of("1400 1600 200 jobs=1", "1000 1500 500 jobs=2",
                "1100 1300 200 jobs=1", "a line from an older script")));
    }

    /** A pretrained NeuMF whose initialised model no epoch beat is read at epoch 0, both ways; settings unlike the paper's are named. */
    @Test
    void theInitialisedModelOfAPretrainedRunIsACandidate() throws Exception {
        List<EpochRecord> epochs = List.of(new EpochRecord(1, 0.2, 0.69, 0.41, 0.80, 0.55, 1, 1, 1, 0, 1));
        EpochRecord initial = new EpochRecord(0, 0, 0.70, 0.42, 0.81, 0.56, 0, 0, 1, 0, 0);
        Path dir = Files.createDirectories(out.resolve("f16/s1/neumf-pre"));
        new TrainingReport("ml-1m", Map.of("seed", 1, "epochs", 1, "optimizer", "adam", "learningRate", 0.001,
                "fineTune", "output", "negatives", 8, "batchSize", 256, "alpha", 0.5, "averageFrom", 1), epochs,
                initial, 0, "validation HR@10", 0.70, 0.42, null, 60, null, null)
                .write(dir.resolve("report.json"));
        List<PaperTable.Run> runs = PaperTable.read(out);
        String table = PaperTable.markdown(runs, 60);
        assertTrue(table.contains("| 16 | NeuMF, pretrained | 0.7000 | 0.4200 | 0.7000 | 0.4200 | 0.707 / 0.426 | 1 "
                + "| 0/0 | 1 epochs, adam 0.001, 8 negatives, weights averaged from epoch 1, output layer only |"), table); // the paper's batch and alpha unsaid
    }
}
