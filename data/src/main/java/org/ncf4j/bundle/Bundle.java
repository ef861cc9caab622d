package org.ncf4j.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.ncf4j.data.IdMap;
import org.ncf4j.data.UserItems;

/**
 * A validated model bundle. {@link #read} checks, in this order, that the card parses and has a known format
 * version, that every required file is listed and present with the listed SHA-256, that the id maps, the seen
 * items and the popularity agree with the card's sizes, and that both graphs have the inputs, outputs and weight
 * shapes the card describes ({@link GraphCheck}). The first problem found is reported, naming its file.
 */
public record Bundle(Path dir, BundleCard card, IdMap users, IdMap items, UserItems seen, int[] popularity) {

    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Path scoreGraph() {
        return dir.resolve(card.graphs().get("score"));
    }

    public Path rankGraph() {
        return dir.resolve(card.graphs().get("rank"));
    }

    public static Bundle read(Path location) {
        Path dir = location.toAbsolutePath().normalize();
        String where = "bundle " + location + ": ";
        if (!Files.isDirectory(dir)) {
            throw new BundleException(where + "not a directory");
        }
        Path cardFile = dir.resolve(BundleFiles.CARD);
        if (!Files.isRegularFile(cardFile)) {
            throw new BundleException(where + BundleFiles.CARD + " is missing");
        }
        BundleCard card = readCard(where, cardFile);
        try {
            checkFiles(where, dir, card);
            IdMap users = BundleFiles.readIds(dir.resolve(BundleFiles.USERS));
            IdMap items = BundleFiles.readIds(dir.resolve(BundleFiles.ITEMS));
            expect(where + BundleFiles.USERS, "users", users.size(), card.numUsers());
            expect(where + BundleFiles.ITEMS, "items", items.size(), card.numItems());
            UserItems seen = readSeen(where, dir.resolve(BundleFiles.SEEN), card);
            int[] pop = BundleFiles.readInts(dir.resolve(BundleFiles.POPULARITY));
            expect(where + BundleFiles.POPULARITY, "items", pop.length == 0 ? -1 : pop[0], card.numItems());
            expect(where + BundleFiles.POPULARITY, "values", pop.length - 1, card.numItems());
            Bundle bundle = new Bundle(dir, card, users, items, seen, Arrays.copyOfRange(pop, 1, pop.length));
            GraphCheck.score(where, bundle.scoreGraph(), card);
            GraphCheck.rank(where, bundle.rankGraph(), card);
            return bundle;
        } catch (BundleException e) {
            throw e;
        } catch (IOException e) {
            throw new BundleException(where + "cannot read: " + e.getMessage(), e);
        }
    }

    private static BundleCard readCard(String where, Path file) {
        BundleCard card;
        try {
            card = JSON.readValue(file.toFile(), BundleCard.class);
        } catch (JsonProcessingException e) {
            throw new BundleException(where + BundleFiles.CARD + " is not a valid card: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BundleException(where + "cannot read " + BundleFiles.CARD + ": " + e.getMessage(), e);
        }
        if (card.formatVersion() != BundleCard.FORMAT_VERSION) {
            throw new BundleException(where + BundleFiles.CARD + " has format version " + card.formatVersion()
                    + ", this reader knows version " + BundleCard.FORMAT_VERSION);
        }
        if (card.files() == null || card.graphs() == null || card.variant() == null) {
            throw new BundleException(where + BundleFiles.CARD + " lacks 'variant', 'graphs' or 'files'");
        }
        for (String role : new String[] {"score", "rank"}) {
            String graph = card.graphs().get(role);
            if (graph == null || !card.files().containsKey(graph)) {
                throw new BundleException(where + BundleFiles.CARD + " must name the '" + role + "' graph among "
                        + "its hashed files, found graphs " + card.graphs());
            }
        }
        boolean gmf = card.variant().equals("gmf") || card.variant().equals("neumf");
        boolean mlp = card.variant().equals("mlp") || card.variant().equals("neumf");
        if (!gmf && !mlp) {
            throw new BundleException(where + BundleFiles.CARD + " has variant '" + card.variant()
                    + "', expected gmf, mlp or neumf");
        }
        if (gmf && card.factor() < 1) {
            throw new BundleException(where + BundleFiles.CARD + " gives factor " + card.factor() + " for "
                    + card.variant());
        }
        if (mlp && (card.layers() == null || card.layers().isEmpty() || card.layers().get(0) < 2)) {
            throw new BundleException(where + BundleFiles.CARD + " gives layers " + card.layers() + " for "
                    + card.variant());
        }
        if (card.numUsers() < 1 || card.numItems() < 1) {
            throw new BundleException(where + BundleFiles.CARD + " gives " + card.numUsers() + " users and "
                    + card.numItems() + " items");
        }
        return card;
    }

    private static void checkFiles(String where, Path dir, BundleCard card) throws IOException {
        Map<String, String> files = card.files();
        for (String name : BundleFiles.REQUIRED) {
            if (!files.containsKey(name)) {
                throw new BundleException(where + BundleFiles.CARD + " does not list " + name);
            }
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path file = dir.resolve(e.getKey()).normalize();
            if (!file.getParent().equals(dir.normalize())) {
                throw new BundleException(where + BundleFiles.CARD + " lists a file outside the bundle: "
                        + e.getKey());
            }
            if (!Files.isRegularFile(file)) {
                throw new BundleException(where + e.getKey() + " is missing");
            }
            String actual = Sha256.of(file);
            if (!actual.equalsIgnoreCase(e.getValue())) {
                throw new BundleException(where + e.getKey() + " does not match its SHA-256 in "
                        + BundleFiles.CARD + " (file changed or truncated; " + Files.size(file) + " bytes)");
            }
        }
    }

    private static UserItems readSeen(String where, Path file, BundleCard card) throws IOException {
        int[] v = BundleFiles.readInts(file);
        String name = where + BundleFiles.SEEN;
        if (v.length < 3) {
            throw new BundleException(name + ": too short for a header");
        }
        expect(name, "users", v[0], card.numUsers());
        expect(name, "items", v[1], card.numItems());
        int nnz = v[2];
        if (nnz < 0 || v.length != 3 + card.numUsers() + 1 + nnz) {
            throw new BundleException(name + ": " + v.length + " values do not fit " + card.numUsers()
                    + " users and " + nnz + " items");
        }
        int[] offsets = Arrays.copyOfRange(v, 3, 3 + card.numUsers() + 1);
        int[] items = Arrays.copyOfRange(v, 3 + card.numUsers() + 1, v.length);
        try {
            return UserItems.fromCsr(card.numItems(), offsets, items);
        } catch (IllegalArgumentException e) {
            throw new BundleException(name + ": " + e.getMessage(), e);
        }
    }

    private static void expect(String file, String what, int actual, int expected) {
        if (actual != expected) {
            throw new BundleException(file + " has " + actual + " " + what + ", " + BundleFiles.CARD + " says "
                    + expected);
        }
    }
}
