package org.ncf4j.graph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.data.IdMap;
import org.ncf4j.data.UserItems;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;

/**
 * Bundles of random weights, with users {@code u0..} and items {@code i0..} and a seeded set of seen items per
 * user: a servable model of any shape in milliseconds, for tests and serving benchmarks. The card says
 * {@code "dataset": {"name": "synthetic"}}, so such a bundle is never mistaken for a trained one.
 */
public final class SyntheticBundles {
    private SyntheticBundles() {
    }

    /**
     * @param dir the bundle directory to create
     * @param shape the model's shape
     * @param seed seeds the weights and the seen items
     * @param seenPerUser how many items are drawn as each user's seen items (repeats are kept once)
     */
    public static BundleCard write(Path dir, ModelShape shape, long seed, int seenPerUser) throws IOException {
        return write(dir, shape, seed, seenPerUser, TablePieces.DEFAULT);
    }

    /**
     * As above, with the graphs' tables declared in pieces as {@code pieces} says: the same weights, ids and seen
     * items as with {@link TablePieces#DEFAULT} for the same seed, so that tests compare the two.
     */
    public static BundleCard write(Path dir, ModelShape shape, long seed, int seenPerUser, TablePieces pieces)
            throws IOException {
        IdMap users = ids("u", shape.numUsers());
        IdMap items = ids("i", shape.numItems());
        int perUser = Math.min(seenPerUser, shape.numItems());
        SplittableRandom random = new SplittableRandom(seed ^ 0x5eedL);
        int[] u = new int[shape.numUsers() * perUser];
        int[] it = new int[u.length];
        for (int user = 0, at = 0; user < shape.numUsers(); user++) {
            // uniform draws; UserItems keeps repeats once, so a user may end up with slightly fewer items
            for (int j = 0; j < perUser; j++, at++) {
                u[at] = user;
                it[at] = random.nextInt(shape.numItems());
            }
        }
        UserItems seen = UserItems.of(shape.numUsers(), shape.numItems(), u, it, u.length);
        Map<String, String> dataset = new LinkedHashMap<>();
        dataset.put("name", "synthetic");
        dataset.put("fingerprint", "seed:" + seed);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("hitRate", 0.0);
        metrics.put("ndcg", 0.0);
        return BundleBuilder.write(dir, RandomWeights.of(shape, seed), users, items, seen, dataset,
                Map.of("weights", "random"), metrics, pieces);
    }

    /**
     * Writes a synthetic bundle, for benchmarks: {@code DIR VARIANT USERS ITEMS FACTOR LAYERS SEEN_PER_USER [SEED]},
     * e.g. {@code models/bench/1 neumf 6040 3706 8 64,32,16,8 165} for MovieLens 1M's sizes.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 7) {
            System.err.println("usage: SyntheticBundles DIR VARIANT USERS ITEMS FACTOR LAYERS SEEN_PER_USER [SEED]");
            System.exit(2);
        }
        int[] layers = java.util.Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray();
        ModelShape shape = new ModelShape(Variant.parse(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]), layers);
        long seed = args.length > 7 ? Long.parseLong(args[7]) : 1;
        write(Path.of(args[0]), shape, seed, Integer.parseInt(args[6]));
        System.err.println("wrote a synthetic " + shape + " bundle with " + shape.numUsers() + " users and "
                + shape.numItems() + " items to " + args[0]);
    }

    private static IdMap ids(String prefix, int n) {
        IdMap map = new IdMap();
        for (int i = 0; i < n; i++) {
            map.add(prefix + i);
        }
        return map;
    }
}
