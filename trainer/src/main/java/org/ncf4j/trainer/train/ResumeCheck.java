package org.ncf4j.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ncf4j.data.DataException;
import org.ncf4j.trainer.optim.EpochTrainer;
import org.ncf4j.trainer.settings.TrainSetting;

/**
 * What {@code --resume} may go on from: the state a run folder holds, if it was saved by a run on the same data with
 * the same settings (but those that {@link TrainSetting#mayChangeOnResume() may change}), beside its best
 * checkpoint; and an optimizer whose state can be saved at all.
 */
final class ResumeCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResumeCheck() {
    }

    /**
     * The state saved in {@code folder}, or null when there is none.
     *
     * @param fingerprint the fingerprint of this run's training pairs
     * @param settings this run's settings, as its report records them ({@link TrainSetting#report})
     * @throws ResumeRefused when the state is of other data or other settings
     * @throws DataException when the best checkpoint is missing
     */
    static TrainingState.Progress saved(RunFolder folder, String fingerprint, Map<String, Object> settings)
            throws IOException {
        TrainingState.Progress saved = TrainingState.readProgress(folder.dir());
        if (saved == null) {
            return null;
        }
        if (!fingerprint.equals(saved.dataFingerprint())) {
            throw new ResumeRefused(folder.state() + " was saved by a run on other data than the "
                    + "data given (the training pairs differ)");
        }
        List<String> changed = differences(saved.settings(), comparable(settings));
        if (!changed.isEmpty()) {
            throw new ResumeRefused(folder.state() + " was saved with other settings: " + String.join(", ", changed)
                    + "; only " + Arrays.stream(TrainSetting.values()).filter(TrainSetting::mayChangeOnResume)
                    .map(TrainSetting::flag).collect(Collectors.joining(" and ")) + " may change");
        }
        if (!Files.isDirectory(folder.model())) {
            throw new DataException(folder.model() + " (the best checkpoint) is missing; start the run again "
                    + "without --resume");
        }
        return saved;
    }

    /** Refuses to resume with an optimizer whose state cannot be saved (DJL's Adam, on a GPU). */
    static void requireResumable(EpochTrainer trainer) {
        if (trainer.notResumable() != null) {
            throw new ResumeRefused(trainer.notResumable());
        }
    }

    /**
     * The settings a resumed run must share with the run that saved the state, as read back from JSON (so that
     * they compare equal to the saved ones): the report's but those that may change.
     */
    static JsonNode comparable(Map<String, Object> settings) throws IOException {
        Map<String, Object> kept = new LinkedHashMap<>(settings);
        for (TrainSetting s : TrainSetting.values()) {
            if (s.mayChangeOnResume()) {
                kept.remove(s.key());
            }
        }
        return JSON.readTree(JSON.writeValueAsBytes(kept));
    }

    /** The settings whose values differ between {@code saved} and {@code now}, each with both values. */
    static List<String> differences(JsonNode saved, JsonNode now) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!now.get(key).equals(saved.get(key))) {
                keys.add(key + " (" + (saved.has(key) ? saved.get(key) : "unset") + ", now " + now.get(key) + ")");
            }
        }
        for (Iterator<String> it = saved.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!now.has(key)) {
                keys.add(key + " (" + saved.get(key) + ", now unset)");
            }
        }
        return keys;
    }
}
