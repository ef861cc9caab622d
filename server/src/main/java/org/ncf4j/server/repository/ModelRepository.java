package org.ncf4j.server.repository;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.ncf4j.server.config.VersionPolicy;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.RefCounted;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.model.VersionLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a repository directory, {@code <root>/<model>/<version>/}, kept in step with the disk as
 * Triton's repository is: each {@link #scan} reads the disk ({@link RepositoryScanner}), decides per model what to
 * load and unload ({@link VersionPlanner}, under the version policy), loads new versions ({@link VersionLoader}) and
 * then publishes a new {@link ModelSnapshot} at once, so every call sees either the old versions or the new ones.
 * Versions swapped out close when their last call ends. A version that fails is refused and listed with why,
 * while the versions already loaded keep serving; it is retried when its files change, and on every reload. A
 * model whose directory is removed is unloaded; a directory that cannot be listed unloads nothing.
 */
public final class ModelRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    private final Supplier<RepositoryScanner.DiskState> disk;
    private final VersionLoader loader;
    private final VersionPolicy policy;
    private final String defaultModel;
    private final List<RepositoryListener> listeners;
    private final Object lock = new Object();
    private volatile ModelSnapshot current = ModelSnapshot.EMPTY;
    /** The version being loaded ("model version N"), or null. */
    private volatile String loading;
    private boolean closed;
    private String lastRootError;

    /**
     * @param disk reads the repository directory ({@link RepositoryScanner#scan})
     * @param loader loads one version
     * @param policy which versions of each model to load
     * @param defaultModel the model answering calls that name none; empty for the first loaded one by name
     * @param listeners told about every new snapshot
     */
    public ModelRepository(Supplier<RepositoryScanner.DiskState> disk, VersionLoader loader, VersionPolicy policy,
                           String defaultModel, List<RepositoryListener> listeners) {
        this.disk = disk;
        this.loader = loader;
        this.policy = policy;
        this.defaultModel = defaultModel;
        this.listeners = List.copyOf(listeners);
    }

    /** The version being loaded ("model NAME version N"), or null when none is. */
    public String loading() {
        return loading;
    }

    public ModelSnapshot snapshot() {
        return current;
    }

    /**
     * Brings the loaded versions in line with the disk and returns the new state; once closed it changes nothing.
     *
     * @param only a single model to rescan, or null for all
     * @param retryFailed retry every refused version, not only those whose files changed (a Reload)
     */
    public ModelSnapshot scan(String only, boolean retryFailed) {
        List<ServedModel> unload = new ArrayList<>();
        ModelSnapshot next;
        synchronized (lock) {
            if (closed) {
                return current;
            }
            RepositoryScanner.DiskState onDisk = disk.get();
            if (onDisk.error() != null) {
                if (!onDisk.error().equals(lastRootError)) {
                    LOG.warn("{}; the loaded models keep serving", onDisk.error());
                }
                lastRootError = onDisk.error();
                next = new ModelSnapshot(entries(current), defaultModel, onDisk.error());
            } else {
                lastRootError = null;
                Map<String, ModelSnapshot.Entry> models = new LinkedHashMap<>();
                Set<String> names = new TreeSet<>(onDisk.models().keySet());
                current.entries().forEach(e -> names.add(e.name()));
                for (String name : names) {
                    ModelSnapshot.Entry old = current.entry(name);
                    if (only != null && !only.equals(name)) {
                        if (old != null) {
                            models.put(name, old);
                        }
                        continue;
                    }
                    RepositoryScanner.ModelDir dir = onDisk.models().get(name);
                    if (dir == null) {
                        if (old != null && !old.loaded().isEmpty()) {
                            LOG.info("model {} was removed from the repository: unloading versions {}", name,
                                    old.loaded().keySet());
                        }
                        if (old != null) {
                            unload.addAll(old.loaded().values());
                        }
                    } else if (dir.error() != null) {
                        if (old == null || !dir.error().equals(old.error())) {
                            LOG.warn("{}; its loaded versions keep serving", dir.error());
                        }
                        models.put(name, old == null ? new ModelSnapshot.Entry(name, new TreeMap<>(),
                                new TreeMap<>(), new TreeSet<>(), dir.error())
                                : new ModelSnapshot.Entry(name, old.loaded(), old.failed(), old.available(),
                                dir.error()));
                    } else {
                        models.put(name, reconcile(name, old, dir, retryFailed, unload));
                    }
                }
                next = new ModelSnapshot(models, defaultModel, null);
            }
            current = next;
            notifyListeners(next);
        }
        // after publishing, so no new call finds them; each closes once its last call is done
        unload.forEach(ServedModel::close);
        return next;
    }

    private static Map<String, ModelSnapshot.Entry> entries(ModelSnapshot s) {
        Map<String, ModelSnapshot.Entry> out = new LinkedHashMap<>();
        s.entries().forEach(e -> out.put(e.name(), e));
        return out;
    }

    /** One model: retries, loads and unloads as the planner decides; collects what to unload. */
    private ModelSnapshot.Entry reconcile(String name, ModelSnapshot.Entry old, RepositoryScanner.ModelDir dir,
                                          boolean retryFailed, List<ServedModel> unload) {
        NavigableMap<Long, ServedModel> loaded = new TreeMap<>(old == null ? Map.of() : old.loaded());
        NavigableMap<Long, ModelSnapshot.Failure> failed = new TreeMap<>(old == null ? Map.of() : old.failed());
        NavigableMap<Long, String> fingerprints = new TreeMap<>();
        dir.versions().forEach((v, d) -> fingerprints.put(v, d.fingerprint()));
        boolean retry = retryFailed;
        VersionPlanner.Decision d;
        Set<Long> attempted = new HashSet<>();
        while (true) {
            d = VersionPlanner.decide(loaded.navigableKeySet(), failed, fingerprints, policy, retry);
            failed = new TreeMap<>(d.failures());
            retry = false; // failures of this pass stand
            Long next = d.toLoad().stream().filter(v -> !attempted.contains(v)).findFirst().orElse(null);
            if (next == null) {
                break;
            }
            attempted.add(next);
            RepositoryScanner.VersionDir v = dir.versions().get(next);
            try {
                loading = "model " + name + " version " + next;
                ServedModel m;
                try {
                    m = loader.load(name, next, v.dir());
                } finally {
                    loading = null;
                }
                loaded.put(next, m);
                LOG.info("loaded model {} version {} ({}, {} users, {} items) on {}", name, next,
                        m.bundle().card().variant(), m.bundle().card().numUsers(), m.bundle().card().numItems(),
                        m.provider());
            } catch (Exception | OutOfMemoryError | LinkageError e) {
                // a bundle over the heap, or a provider library that fails to link, refuses this version only
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                failed.put(next, new ModelSnapshot.Failure(reason, v.fingerprint()));
                LOG.warn("refused model {} version {}: {} (retried when its files change, or on Reload)", name,
                        next, reason);
                listeners.forEach(l -> l.refused(name, next));
            }
        }
        for (long v : d.toUnload()) {
            ServedModel m = loaded.remove(v);
            unload.add(m);
            LOG.info("unloading model {} version {} ({}) once its calls are done", name, v,
                    fingerprints.containsKey(v) ? "version policy " + policy : "removed from the repository");
        }
        return new ModelSnapshot.Entry(name, loaded, failed, d.available(), null);
    }

    /**
     * A handle on the model a call names ({@code name} empty: the default model; {@code version} 0: its highest
     * loaded version); close it when the call is done.
     */
    public RefCounted<ServedModel>.Handle acquire(String name, long version) {
        for (int attempt = 0; attempt < 3; attempt++) {
            RefCounted<ServedModel>.Handle h = current.find(name, version).acquire();
            if (h != null) {
                return h;
            }
            // swapped out and closed between lookup and acquire: look again
        }
        throw ServingException.unavailable("model " + name + " is being reloaded, try again");
    }

    private void notifyListeners(ModelSnapshot s) {
        for (RepositoryListener l : listeners) {
            try {
                l.changed(s);
            } catch (RuntimeException e) {
                LOG.warn("repository listener {} failed: {}", l, e.toString());
            }
        }
    }

    /**
     * Stops scanning and releases every loaded version; each closes once its last call is done. Returns whether
     * they all closed within {@code waitMillis}.
     */
    public boolean close(long waitMillis) {
        List<ServedModel> all = new ArrayList<>();
        synchronized (lock) {
            if (!closed) {
                closed = true;
                current.entries().forEach(e -> all.addAll(e.loaded().values()));
                current = ModelSnapshot.EMPTY;
                notifyListeners(current);
            }
        }
        all.forEach(ServedModel::close);
        long until = System.nanoTime() + waitMillis * 1_000_000L;
        try {
            for (ServedModel m : all) {
                long left = (until - System.nanoTime()) / 1_000_000L;
                if (!m.awaitClosed(Math.max(0, left))) {
                    LOG.warn("model {} version {} still has calls running; its sessions stay open", m.name(),
                            m.version());
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        close(5_000);
    }
}
