package org.ncf4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.graph.SyntheticBundles;
import org.ncf4j.graph.TablePieces;
import org.ncf4j.contract.Variant;

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
        return write(dir, shape, seed, TablePieces.DEFAULT);
    }

    /** As above, with the graphs' tables declared in pieces as {@code pieces} says; the same weights for a seed. */
    public static Path write(Path dir, ModelShape shape, long seed, TablePieces pieces) {
        try {
            SyntheticBundles.write(dir, shape, seed, 6, pieces);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the card of the bundle in {@code dir} after {@code edit} changed it (a hand-made bundle). */
    public static void editCard(Path dir, Consumer<ObjectNode> edit) {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode card = (ObjectNode) json.readTree(dir.resolve(BundleFiles.CARD).toFile());
            edit.accept(card);
            Files.writeString(dir.resolve(BundleFiles.CARD), json.writeValueAsString(card));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
