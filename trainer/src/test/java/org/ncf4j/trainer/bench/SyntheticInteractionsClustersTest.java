package org.ncf4j.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyntheticInteractionsClustersTest {
    @TempDir
    Path dir;

    /** Each user's items in file order (users are 0, 1, ... in order, each with its lines together). */
    private static List<List<Integer>> histories(Path file, long interactions) throws IOException {
        List<String> lines = Files.readAllLines(file);
        assertEquals("user,item,ts", lines.get(0));
        assertEquals(interactions, lines.size() - 1, "the count is exact");
        List<List<Integer>> histories = new ArrayList<>();
        long lastTs = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int u = Integer.parseInt(f[0]);
            long ts = Long.parseLong(f[2]);
            if (u == histories.size()) {
                histories.add(new ArrayList<>());
            } else {
                assertEquals(histories.size() - 1, u, "users in order");
                assertTrue(ts > lastTs, "user " + u + "'s timestamps increase");
            }
            histories.get(u).add(Integer.parseInt(f[1]));
            lastTs = ts;
        }
        return histories;
    }

    /**
     * Typical sizes; interactions = items (every line covers an item) with a cluster per item; more clusters than
     * users (clusters nobody likes, whose items go to other clusters' fans); one cluster and users at the cap;
     * uniform popularity with fewer clusters than a user may like.
     */
    @ParameterizedTest
    @CsvSource({"200, 1000, 5000, 0.8, 1, 20", "20, 50, 50, 0.8, 1, 50", "30, 300, 600, 1.5, 3, 100",
            "50, 100, 2500, 0.8, 2, 1", "10, 40, 150, 0, 5, 3"})
    void everyItemOccursTheCountIsExactAndUsersItemsAreDistinct(int users, int items, long interactions,
                                                                 double skew, long seed, int clusters)
            throws IOException {
        Path out = dir.resolve("c.csv");
        assertEquals(interactions, SyntheticInteractions.write(users, items, interactions, skew, seed, clusters, out));
        List<List<Integer>> histories = histories(out, interactions);
        assertEquals(users, histories.size());
        Set<Integer> occurred = new HashSet<>();
        for (List<Integer> history : histories) {
            assertTrue(history.size() >= 2);
            assertEquals(history.size(), new HashSet<>(history).size(), "a user's items are distinct");
            occurred.addAll(history);
        }
        assertEquals(items, occurred.size(), "every item occurs");
        assertTrue(occurred.stream().allMatch(i -> i >= 0 && i < items));
        Path again = dir.resolve("again.csv");
        SyntheticInteractions.write(users, items, interactions, skew, seed, clusters, again);
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again), "the seed fixes the file");
    }

    /** The mean over users of the share of their interactions in their most frequent cluster. */
    private static double meanTopClusterShare(List<List<Integer>> histories, int[] clusterOf, int clusters) {
        double sum = 0;
        for (List<Integer> history : histories) {
            int[] perCluster = new int[clusters];
            int top = 0;
            for (int item : history) {
                top = Math.max(top, ++perCluster[clusterOf[item]]);
            }
            sum += (double) top / history.size();
        }
        return sum / histories.size();
    }

    /**
     * With 20 clusters a user's most frequent cluster holds far more than 1/20 of the user's interactions; the
     * same measure on the default file (which ignores clusters) over the same assignment of items shows what
     * chance alone gives with these users' counts.
     */
    @Test
    void usersInteractionsConcentrateInTheirClusters() throws IOException {
        int users = 200;
        int items = 2000;
        long interactions = 20_000;
        int clusters = 20;
        int[] clusterOf = SyntheticInteractions.clusterOf(users, items, interactions, 0.8, 1, clusters);
        Path clustered = dir.resolve("clustered.csv");
        SyntheticInteractions.write(users, items, interactions, 0.8, 1, clusters, clustered);
        double structured = meanTopClusterShare(histories(clustered, interactions), clusterOf, clusters);
        Path plain = dir.resolve("plain.csv");
        SyntheticInteractions.write(users, items, interactions, 0.8, 1, 0, plain);
        double chance = meanTopClusterShare(histories(plain, interactions), clusterOf, clusters);
        assertTrue(structured > 0.4, "clustered: " + structured);
        assertTrue(chance < 0.2, "default: " + chance);
    }

    @Test
    void clustersNeedAsManyInteractionsAsItems() {
        String problem = SyntheticInteractions.problem(200, 5000, 4000, 50);
        assertNotNull(problem);
        assertTrue(problem.contains("INTERACTIONS must be at least ITEMS") && !problem.contains("\n"), problem);
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticInteractions.write(200, 5000, 4000, 0.8, 1, 50, dir.resolve("x.csv")));
        assertNull(SyntheticInteractions.problem(200, 5000, 4000, 0), "without clusters items may be left out");
        assertNull(SyntheticInteractions.problem(200, 5000, 5000, 50));
        assertNotNull(SyntheticInteractions.problem(200, 50, 5000, 51), "more clusters than items");
        assertNotNull(SyntheticInteractions.problem(200, 50, 5000, -1));
        assertTrue(Files.notExists(dir.resolve("x.csv")));
    }
}
