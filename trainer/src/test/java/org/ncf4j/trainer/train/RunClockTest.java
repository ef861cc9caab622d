package org.ncf4j.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunClockTest {
    @Test
    void aResumedRunsClockGoesOnFromTheSavedTimeAndStart(@TempDir Path dir) throws IOException {
        SavedStates.write(dir, SavedStates.GMF);
        TrainingState.Progress saved = TrainingState.readProgress(dir);
        RunClock clock = RunClock.resumed(saved);
        assertEquals(Instant.parse("2026-12-06T17:56:56.493677456Z"), clock.started());
        assertTrue(clock.seconds() >= saved.elapsedSeconds(), clock.seconds() + " s");
    }
}
