package org.ncf4j.server.repository;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.ServedModel;

/**
 * The repository at one moment, immutable: each model's loaded versions, refused versions (with why), versions
 * available on disk but not loaded under the version policy, and a listing problem if its directory could not be
 * read. A call looks its model up in the snapshot current when it starts.
 */
public final class ModelSnapshot {
    /** A version that could not be loaded: why, and the fingerprint of its files at the time. */
    public record Failure(String reason, String fingerprint) {
    }

    /**
     * One model.
     *
     * @param name the model's directory name
     * @param loaded loaded versions, highest last
     * @param failed versions that could not be loaded, with why
     * @param available versions on disk that the version policy leaves unloaded
     * @param error why the model's directory could not be listed at the last scan (null when it could)
     */
    public record Entry(String name, NavigableMap<Long, ServedModel> loaded,
                        NavigableMap<Long, Failure> failed, NavigableSet<Long> available,
                        String error) {
        public Entry {
            loaded = Collections.unmodifiableNavigableMap(new TreeMap<>(loaded));
            failed = Collections.unmodifiableNavigableMap(new TreeMap<>(failed));
            available = Collections.unmodifiableNavigableSet(new java.util.TreeSet<>(available));
        }

        /** The highest refused version with why ("version 3: card.json is missing"), or empty. */
        public String lastFailure() {
            if (failed.isEmpty()) {
                return "";
            }
            Map.Entry<Long, Failure> last = failed.lastEntry();
            return "version " + last.getKey() + ": " + last.getValue().reason();
        }

        /** Failure reasons by version. */
        public NavigableMap<Long, String> failures() {
            TreeMap<Long, String> out = new TreeMap<>();
            failed.forEach((v, f) -> out.put(v, f.reason()));
            return out;
        }
    }

    static final ModelSnapshot EMPTY = new ModelSnapshot(Map.of(), "", null);

    private final NavigableMap<String, Entry> models;
    private final String defaultModel;
    private final String error;

    /**
     * @param models the models by name
     * @param defaultModel the configured default model, or empty for the first loaded one by name
     * @param error why the repository itself could not be listed at the last scan (null when it could)
     */
    ModelSnapshot(Map<String, Entry> models, String defaultModel, String error) {
        this.models = Collections.unmodifiableNavigableMap(new TreeMap<>(models));
        this.defaultModel = defaultModel;
        this.error = error;
    }

    /** The models, sorted by name. */
    public Collection<Entry> entries() {
        return models.values();
    }

    public Entry entry(String name) {
        return models.get(name);
    }

    /** Why the repository could not be listed at the last scan, or null. */
    public String error() {
        return error;
    }

    public boolean anyLoaded() {
        return models.values().stream().anyMatch(e -> !e.loaded().isEmpty());
    }

    /**
     * The model a call names: {@code name} empty for the default model, {@code version} 0 for its highest loaded
     * version.
     *
     * @throws ServingException NOT_FOUND for an unknown model or a version that is not loaded, UNAVAILABLE when the
     *     model has no version loaded
     */
    public ServedModel find(String name, long version) {
        String n = name == null || name.isEmpty() ? defaultModel() : name;
        Entry e = models.get(n);
        if (e == null) {
            throw ServingException.notFound("unknown model " + Ids.quote(n) + ", the repository has "
                    + Ids.list(models.keySet()));
        }
        if (e.loaded().isEmpty()) {
            throw ServingException.unavailable("model " + Ids.quote(n) + " has no version ready"
                    + describeFailures(e));
        }
        if (version == 0) {
            return e.loaded().lastEntry().getValue();
        }
        ServedModel m = e.loaded().get(version);
        if (m == null) {
            String why = e.failed().containsKey(version) ? " (version " + version + " failed: "
                    + e.failed().get(version).reason() + ")"
                    : e.available().contains(version) ? " (version " + version + " is in the repository but the "
                    + "version policy does not load it)" : "";
            throw ServingException.notFound("model " + Ids.quote(n) + " has no loaded version " + version
                    + ", it has " + Ids.list(e.loaded().descendingKeySet()) + why);
        }
        return m;
    }

    private String defaultModel() {
        if (!defaultModel.isEmpty()) {
            return defaultModel;
        }
        for (Entry e : models.values()) {
            if (!e.loaded().isEmpty()) {
                return e.name();
            }
        }
        StringBuilder why = new StringBuilder(error == null ? "" : "; " + error);
        for (Entry e : models.values()) {
            why.append(describeFailures(e).isEmpty() ? "" : "; " + e.name() + describeFailures(e));
            if (why.length() > 1000) {
                break;
            }
        }
        throw ServingException.unavailable("no model is ready" + why);
    }

    /** The most recent failure of a model, if any: ": version 3 failed: ...". */
    private static String describeFailures(Entry e) {
        if (e.failed().isEmpty()) {
            return e.error() == null ? "" : ": " + e.error();
        }
        return ": refused " + e.lastFailure() + (e.failed().size() > 1 ? " (and " + (e.failed().size() - 1)
                + " more)" : "");
    }
}
