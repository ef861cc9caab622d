package org.ncf4j.server.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.RefCounted;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.repository.ModelRepository;
import org.ncf4j.server.repository.ModelSnapshot;
import org.ncf4j.server.retrieval.Retrieval;

/** What the repository holds, for the model information, listing and reload calls. */
public final class ModelAdminService {
    /**
     * One loaded model version described.
     *
     * @param lastError the model's most recent refused version, with why (empty when none)
     */
    public record Description(String name, long version, BundleCard card, String provider, String lastError,
                              Retrieval retrieval) {
    }

    /**
     * One model's versions.
     *
     * @param loaded loaded versions, highest first
     * @param failed refused versions, with why
     * @param available versions the version policy leaves unloaded, highest first
     * @param error why the model's directory could not be listed at the last scan (empty when it could)
     */
    public record Listing(String name, List<Long> loaded, Map<Long, String> failed, List<Long> available,
                          String error) {
    }

    private final ModelRepository repository;

    public ModelAdminService(ModelRepository repository) {
        this.repository = repository;
    }

    /** The model a call names (empty name: the default; version 0: the highest loaded). */
    public Description describe(String name, long version) {
        try (RefCounted<ServedModel>.Handle h = repository.acquire(name, version)) {
            ServedModel m = h.get();
            ModelSnapshot.Entry e = repository.snapshot().entry(m.name());
            return new Description(m.name(), m.version(), m.bundle().card(), m.provider(),
                    e == null ? "" : e.lastFailure(), m.retrieval());
        }
    }

    public List<Listing> list() {
        return listings(repository.snapshot());
    }

    /**
     * Rescans now, retrying every refused version; {@code name} limits it to one model (empty: all), which must
     * be in the repository.
     */
    public List<Listing> reload(String name) {
        ModelSnapshot s = repository.scan(name.isEmpty() ? null : name, true);
        if (!name.isEmpty() && s.entry(name) == null) {
            throw ServingException.notFound("the repository has no model " + Ids.quote(name) + "; it has "
                    + Ids.list(s.entries().stream().map(ModelSnapshot.Entry::name).toList()));
        }
        return listings(s);
    }

    private static List<Listing> listings(ModelSnapshot s) {
        List<Listing> out = new ArrayList<>();
        for (ModelSnapshot.Entry e : s.entries()) {
            NavigableMap<Long, ServedModel> loaded = e.loaded();
            out.add(new Listing(e.name(), new ArrayList<>(loaded.descendingKeySet()), e.failures(),
                    new ArrayList<>(e.available().descendingSet()), e.error() == null ? "" : e.error()));
        }
        return out;
    }
}
