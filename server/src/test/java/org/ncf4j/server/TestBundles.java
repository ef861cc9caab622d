package org.ncf4j.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.ncf4j.graph.ModelShape;
import org.ncf4j.graph.SyntheticBundles;
import org.ncf4j.graph.Variant;

/**
 * Small bundles of random weights (NeuMF, users {@code u0..u39}, items {@code i0..i23}, six seen items per user),
 * built in milliseconds: the server's tests never train.
 */
public final class TestBundles {
    public static final int USERS = 40;
    public static final int ITEMS = 24;
    public static final ModelShape SHAPE = new ModelShape(Variant.NEUMF, USERS, ITEMS, 4, new int[] {8, 4});

    private TestBundles() {
    }

    /** Writes a bundle to {@code dir} (which must not exist); the seed picks its weights and seen items. */
    public static Path write(Path dir, long seed) {
        return write(dir, SHAPE, seed);
    }

    public static Path write(Path dir, ModelShape shape, long seed) {
        try {
            SyntheticBundles.write(dir, shape, seed, 6);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
