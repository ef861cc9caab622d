package org.ncf4j.server.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.ncf4j.server.config.VersionPolicy;

class VersionPlannerTest {
    private static final VersionPolicy LATEST = VersionPolicy.parse("latest:1");

    private static TreeMap<Long, String> disk(Object... versionsAndFingerprints) {
        TreeMap<Long, String> out = new TreeMap<>();
        for (int i = 0; i < versionsAndFingerprints.length; i += 2) {
            out.put(((Number) versionsAndFingerprints[i]).longValue(), (String) versionsAndFingerprints[i + 1]);
        }
        return out;
    }

    private static NavigableSet<Long> set(long... v) {
        TreeSet<Long> s = new TreeSet<>();
        for (long x : v) {
            s.add(x);
        }
        return s;
    }

    @Test
    void aNewVersionIsLoadedAndTheOldOneUnloadedUnderLatestOne() {
        var d = VersionPlanner.decide(set(1), Map.of(), disk(1, "a", 2, "b"), LATEST, false);
        assertEquals(List.of(2L), List.copyOf(d.toLoad()));
        assertEquals(List.of(1L), List.copyOf(d.toUnload()));
        assertEquals(List.of(1L), List.copyOf(d.available()));
    }

    @Test
    void aFailedVersionStaysRefusedWhileItsFilesAreUnchangedAndTheOldOneKeepsServing() {
        var failed = Map.of(2L, new ModelSnapshot.Failure("score.onnx is missing", "b"));
        var d = VersionPlanner.decide(set(1), failed, disk(1, "a", 2, "b"), LATEST, false);
        assertEquals(List.of(), List.copyOf(d.toLoad()));
        assertEquals(List.of(), List.copyOf(d.toUnload()));
        assertEquals(List.of(2L), List.copyOf(d.failures().keySet()));
    }

    @Test
    void aFailedVersionIsRetriedWhenItsFilesChange() {
        var failed = Map.of(2L, new ModelSnapshot.Failure("score.onnx is missing", "half-copied"));
        var d = VersionPlanner.decide(set(1), failed, disk(1, "a", 2, "complete"), LATEST, false);
        assertEquals(List.of(2L), List.copyOf(d.toLoad()));
        assertEquals(Map.of(), d.failures());
    }

    @Test
    void aReloadRetriesEveryFailure() {
        var failed = Map.of(2L, new ModelSnapshot.Failure("bad", "b"));
        var d = VersionPlanner.decide(set(1), failed, disk(1, "a", 2, "b"), LATEST, true);
        assertEquals(List.of(2L), List.copyOf(d.toLoad()));
    }

    @Test
    void aFailureOfAVersionGoneFromDiskIsForgotten() {
        var failed = Map.of(3L, new ModelSnapshot.Failure("bad", "c"));
        var d = VersionPlanner.decide(set(1), failed, disk(1, "a"), LATEST, false);
        assertEquals(Map.of(), d.failures());
    }

    @Test
    void versionsGoneFromDiskAreUnloaded() {
        var d = VersionPlanner.decide(set(1, 2), Map.of(), disk(1, "a"), VersionPolicy.parse("all"), false);
        assertEquals(List.of(2L), List.copyOf(d.toUnload()));
        assertEquals(List.of(), List.copyOf(d.toLoad()));
    }

    @Test
    void policiesPickVersions() {
        var onDisk = disk(1, "a", 2, "b", 3, "c", 4, "d");
        assertEquals(List.of(4L, 3L), List.copyOf(VersionPlanner.decide(set(), Map.of(), onDisk,
                VersionPolicy.parse("latest:2"), false).toLoad()));
        assertEquals(List.of(4L, 3L, 2L, 1L), List.copyOf(VersionPlanner.decide(set(), Map.of(), onDisk,
                VersionPolicy.parse("all"), false).toLoad()));
        var specific = VersionPlanner.decide(set(4), Map.of(), onDisk, VersionPolicy.parse("specific:1,3,9"), false);
        assertEquals(List.of(3L, 1L), List.copyOf(specific.toLoad()));
        assertEquals(List.of(4L), List.copyOf(specific.toUnload()));
        assertEquals(List.of(2L, 4L), List.copyOf(specific.available()));
    }
}
