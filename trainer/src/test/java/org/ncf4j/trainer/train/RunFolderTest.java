package org.ncf4j.trainer.train;

import org.ncf4j.trainer.eval.EvalUsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.data.HeldOutFile;
import org.ncf4j.data.Split;

class RunFolderTest {
    @TempDir
    Path dir;

    /** What an earlier run left, and a file of the user's. */
    private static final List<String> EARLIER = List.of("model/ncf-0000.params", "model-by-test/ncf-0000.params",
            "resume.state", "report.json", "training.png", "validation.negative", "test.negative", "notes.txt");

    private RunFolder earlierRun() throws IOException {
        for (String f : EARLIER) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), f);
        }
        return new RunFolder(dir);
    }

    @Test
    void aNewRunRemovesWhatAnEarlierRunLeft() throws IOException {
        earlierRun().clearForNewRun();
        assertEquals(List.of("notes.txt", "test.negative"), remaining(), "test.negative is written again");
    }

    @Test
    void aResumedRunKeepsItsCheckpointsAndState() throws IOException {
        earlierRun().clearForResumedRun();
        assertEquals(List.of("model", "model-by-test", "notes.txt", "resume.state", "test.negative"), remaining());
        assertTrue(Files.isRegularFile(dir.resolve("model/ncf-0000.params")));
    }

    @Test
    void theFolderIsMadeWhenThereIsNone() throws IOException {
        RunFolder folder = new RunFolder(dir.resolve("runs/gmf"));
        folder.clearForNewRun();
        assertTrue(Files.isDirectory(folder.dir()));
        assertEquals(dir.resolve("runs/gmf/model-by-test"), folder.modelByTest());
        assertEquals(dir.resolve("runs/gmf/resume.state"), folder.state());
    }

    @Test
    void theHeldOutItemsAreWrittenInExternalIds() throws IOException {
        Split split = GroupedData.small(true);
        RunFolder folder = new RunFolder(dir);
        folder.clearForNewRun();
        folder.writeHeldOut(split, EvalUsers.of(split, 0, 0, 1));
        List<HeldOutFile.Row> test = HeldOutFile.read(dir.resolve(HeldOutFile.TEST));
        assertEquals(split.test().size(), test.size());
        assertEquals(split.users().id(split.test().users()[0]), test.get(0).user());
        assertEquals(split.items().id(split.test().positives()[0]), test.get(0).item());
        assertEquals(split.validation().size(), HeldOutFile.read(dir.resolve(HeldOutFile.VALIDATION)).size());

        RunFolder plain = new RunFolder(dir.resolve("plain"));
        plain.clearForNewRun();
        Split small = GroupedData.small(false);
        plain.writeHeldOut(small, EvalUsers.of(small, 0, 0, 1));
        assertTrue(Files.exists(plain.dir().resolve(HeldOutFile.TEST)));
        assertFalse(Files.exists(plain.dir().resolve(HeldOutFile.VALIDATION)));
    }

    private List<String> remaining() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
