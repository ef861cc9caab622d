package org.ncf4j.server.model;

import java.nio.file.Path;

/** Loads one version directory of the repository for serving ({@link ModelLoader} in the server). */
@FunctionalInterface
public interface VersionLoader {
    /**
     * @throws Exception anything that keeps the version from serving: the repository refuses the version with the
     *     message and retries it when its files change or on a reload
     */
    ServedModel load(String name, long version, Path dir) throws Exception;
}
