package org.ncf4j.server.repository;

/** Told about every new state of the repository (health, metrics). */
public interface RepositoryListener {
    /** Called after each scan, and once with an empty snapshot when the repository closes. */
    void changed(ModelSnapshot snapshot);

    /** A version could not be loaded. */
    default void refused(String model, long version) {
    }
}
