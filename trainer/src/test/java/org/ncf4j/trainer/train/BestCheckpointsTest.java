package org.ncf4j.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.trainer.report.EpochRecord;

class BestCheckpointsTest {
    @TempDir
    Path dir;

    /** An epoch's record with its test HR and validation HR (null: no validation items); NDCG is HR / 2. */
    private static EpochRecord epoch(int epoch, double hitRate, Double validationHitRate) {
        return new EpochRecord(epoch, 0.5, hitRate, hitRate / 2, validationHitRate,
                validationHitRate == null ? null : validationHitRate / 2, 1000, 1, 0.1, 0, epoch);
    }

    private static BestCheckpoints.Kept kept(boolean best, boolean byTest) {
        return new BestCheckpoints.Kept(best, byTest);
    }

    @Test
    void withoutValidationItemsTheBestTestHitRateIsKeptTheFirstOfEquals() {
        BestCheckpoints c = BestCheckpoints.none(false);
        assertEquals(kept(true, false), c.add(epoch(1, 0.3, null)));
        assertEquals(kept(true, false), c.add(epoch(2, 0.5, null)));
        assertEquals(kept(false, false), c.add(epoch(3, 0.5, null)));
        assertEquals(kept(false, false), c.add(epoch(4, 0.4, null)));
        assertEquals(2, c.bestEpoch());
        assertEquals(0.5, c.bestHitRate());
        assertEquals(0.25, c.bestNdcg());
        assertEquals("test HR@10", c.selectedBy(10));
        assertEquals(4, c.records().size());
    }

    @Test
    void withValidationItemsValidationChoosesAndTheBestTestEpochIsKeptApart() {
        BestCheckpoints c = BestCheckpoints.none(true);
        assertEquals(kept(true, true), c.add(epoch(1, 0.3, 0.30)));
        assertEquals(kept(false, true), c.add(epoch(2, 0.6, 0.25)));
        assertEquals(kept(true, false), c.add(epoch(3, 0.4, 0.35)));
        assertEquals(3, c.bestEpoch());
        assertEquals(0.4, c.bestHitRate(), "the test HR of the epoch validation chose");
        assertEquals(kept(true, false), c.keptAt(3));
        assertEquals(kept(false, true), c.keptAt(2));
        assertEquals("validation HR@5", c.selectedBy(5));
    }

    @Test
    void theInitialisedModelIsEpochZeroAndStaysBestWhenNoEpochBeatsIt() {
        BestCheckpoints c = BestCheckpoints.none(true);
        assertEquals(kept(true, true), c.add(epoch(0, 0.5, 0.5)));
        assertEquals(kept(false, false), c.add(epoch(1, 0.5, 0.5)));
        assertEquals(0, c.bestEpoch());
        assertEquals(0, c.initial().epoch());
        assertEquals(1, c.records().size());
        assertThrows(IllegalStateException.class, () -> c.add(epoch(0, 0.1, 0.1)));
    }

    @Test
    void aResumedRunChoosesAsTheUninterruptedOne() {
        List<EpochRecord> all = List.of(epoch(1, 0.3, 0.3), epoch(2, 0.6, 0.2), epoch(3, 0.4, 0.4),
                epoch(4, 0.5, 0.4), epoch(5, 0.6, 0.45));
        BestCheckpoints whole = BestCheckpoints.none(true);
        all.forEach(whole::add);
        BestCheckpoints first = BestCheckpoints.none(true);
        all.subList(0, 3).forEach(first::add);
        TrainingState.Progress saved = first.progress(3.0, "2026-01-01T00:00:00Z",
                JsonNodeFactory.instance.objectNode(), "sha256:x", 0);
        assertEquals(3, saved.epochsDone());
        assertEquals(3, saved.bestEpoch());
        assertEquals(0.4, saved.bestScore());
        BestCheckpoints resumed = BestCheckpoints.resumed(true, saved);
        assertEquals(kept(true, false), resumed.keptAt(3));
        assertEquals(kept(false, false), resumed.add(all.get(3)), "epoch 4 ties epoch 3 and does not beat epoch 2");
        assertEquals(kept(true, false), resumed.add(all.get(4)));
        assertEquals(whole.bestEpoch(), resumed.bestEpoch());
        assertEquals(whole.records(), resumed.records());
        assertEquals(whole.progress(5, "t", null, "f", 0), resumed.progress(5, "t", null, "f", 0));
    }

    /** A state saved before the list of settings: epoch 0 was the best and the best by test. */
    @Test
    void aSavedStateOfAPretrainedRunResumesWithItsInitialisedModelBest() throws IOException {
        SavedStates.write(dir, SavedStates.PRETRAINED);
        BestCheckpoints c = BestCheckpoints.resumed(true, TrainingState.readProgress(dir));
        assertEquals(0, c.bestEpoch());
        assertEquals(0.2, c.bestHitRate());
        assertEquals(kept(false, false), c.keptAt(3));
        assertEquals(kept(true, true), c.keptAt(0));
        assertEquals(3, c.records().size());
    }
}
