package org.ncf4j.server.repository;

import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ncf4j.server.config.VersionPolicy;

/**
 * Decides one model's versions from what is on disk and what is loaded, as Triton's repository does: a version
 * that failed stays refused only while its files are unchanged (unless a reload retries every failure); the
 * version policy picks among the rest; what it picks and is not loaded is to be loaded (highest first), what is
 * loaded and not picked is to be unloaded. A pure function, so each rule has a unit test.
 */
final class VersionPlanner {
    /**
     * @param wanted the versions the policy picks
     * @param toLoad picked and not loaded, highest first
     * @param toUnload loaded and not picked (or gone from disk)
     * @param failures the failures that still hold
     * @param available on disk, loadable as far as known, and not picked
     */
    record Decision(NavigableSet<Long> wanted, NavigableSet<Long> toLoad, NavigableSet<Long> toUnload,
                    NavigableMap<Long, ModelSnapshot.Failure> failures, NavigableSet<Long> available) {
    }

    private VersionPlanner() {
    }

    /**
     * @param loaded the versions loaded now
     * @param failed the versions that failed before
     * @param onDisk the versions on disk with their fingerprints
     * @param retryFailed whether every earlier failure is retried (a Reload), not only those whose files changed
     */
    static Decision decide(NavigableSet<Long> loaded, Map<Long, ModelSnapshot.Failure> failed, SortedMap<Long, String> onDisk,
                           VersionPolicy policy, boolean retryFailed) {
        NavigableMap<Long, ModelSnapshot.Failure> failures = new TreeMap<>();
        if (!retryFailed) {
            failed.forEach((v, f) -> {
                if (f.fingerprint().equals(onDisk.get(v))) {
                    failures.put(v, f);
                }
            });
        }
        TreeSet<Long> candidates = new TreeSet<>(onDisk.keySet());
        candidates.removeAll(failures.keySet());
        NavigableSet<Long> wanted = policy.select(candidates);
        TreeSet<Long> toLoad = new TreeSet<>(wanted);
        toLoad.removeAll(loaded);
        TreeSet<Long> toUnload = new TreeSet<>(loaded);
        toUnload.removeAll(wanted);
        TreeSet<Long> available = new TreeSet<>(candidates);
        available.removeAll(wanted);
        return new Decision(wanted, toLoad.descendingSet(), toUnload, failures, available);
    }
}
