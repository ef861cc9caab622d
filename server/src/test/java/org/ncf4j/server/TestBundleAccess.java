package org.ncf4j.server;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests of other packages train the tiny test bundle. */
public final class TestBundleAccess {
    private TestBundleAccess() {
    }

    /** Trains a tiny NeuMF bundle under {@code dir} and returns its directory. */
    public static Path trained(Path dir) throws IOException {
        Path bundle = dir.resolve("models/demo/1");
        TestBundles.train(TestBundles.data(dir), 1, bundle);
        return bundle;
    }
}
