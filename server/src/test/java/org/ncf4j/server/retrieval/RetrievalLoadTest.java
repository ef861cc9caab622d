package org.ncf4j.server.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.server.TestBundles;
import org.ncf4j.server.config.RetrievalMode;
import org.ncf4j.server.model.ModelLoaders;
import org.ncf4j.server.model.ServedModel;

/** A version's item index: built at load for models with a GMF part, used as the settings and queries say. */
class RetrievalLoadTest {
    private static RetrievalSettings settings(RetrievalMode mode, int candidates) {
        return new RetrievalSettings(mode, candidates, 50_000, ItemIndex.Params.DEFAULT);
    }

    private static ServedModel.Ranked rank(ServedModel m, long user, long[] exclude, int k, int retrieve)
            throws Exception {
        return m.rank(new ServedModel.RankQuery(user, exclude, k, retrieve), Long.MAX_VALUE).get(10, TimeUnit.SECONDS);
    }

    @Test
    void withEveryItemAsACandidateRetrievalRanksAsTheWholeCatalogueDoes(@TempDir Path dir) throws Exception {
        ServedModel m = ModelLoaders.cpu(settings(RetrievalMode.ON, 5)).load("m", 1,
                TestBundles.write(dir.resolve("b"), 1));
        try {
            Retrieval r = m.retrieval();
            assertTrue(r.available());
            assertTrue(r.byDefault());
            assertEquals(5, r.candidates());
            assertTrue(r.description().contains("Lucene"), r.description());
            for (long user = 0; user < TestBundles.USERS; user++) {
                long[] exclude = {user % TestBundles.ITEMS, (user + 7) % TestBundles.ITEMS};
                ServedModel.Ranked exact = rank(m, user, exclude, 5, 0);
                ServedModel.Ranked retrieved = rank(m, user, exclude, 5, TestBundles.ITEMS);
                assertArrayEquals(exact.items(), retrieved.items(), "user " + user);
                assertArrayEquals(exact.scores(), retrieved.scores(), 1e-6f, "user " + user);
                for (long item : retrieved.items()) {
                    assertTrue(item != exclude[0] && item != exclude[1], "user " + user + " got an excluded item");
                }
                // fewer candidates: still k distinct items, none excluded, best first
                ServedModel.Ranked few = rank(m, user, exclude, 5, 6);
                assertEquals(5, few.items().length);
                assertEquals(5, java.util.Arrays.stream(few.items()).distinct().count());
                for (int j = 1; j < 5; j++) {
                    assertTrue(few.scores()[j] <= few.scores()[j - 1]);
                }
            }
        } finally {
            m.close();
        }
    }

    @Test
    void whenExclusionsLeaveFewerThanKItemsTheWholeCatalogueAnswers(@TempDir Path dir) throws Exception {
        ServedModel m = ModelLoaders.cpu(settings(RetrievalMode.ON, 5)).load("m", 1,
                TestBundles.write(dir.resolve("b"), 1));
        try {
            long[] allButTwo = new long[TestBundles.ITEMS - 2];
            for (int i = 0; i < allButTwo.length; i++) {
                allButTwo[i] = i;
            }
            ServedModel.Ranked exact = rank(m, 3, allButTwo, 4, 0);
            ServedModel.Ranked retrieved = rank(m, 3, allButTwo, 4, 4);
            assertArrayEquals(exact.items(), retrieved.items());
        } finally {
            m.close();
        }
    }

    @Test
    void autoRetrievesFromTheCatalogueSizeOnAndOffBuildsNoIndex(@TempDir Path dir) throws Exception {
        Path bundle = TestBundles.write(dir.resolve("b"), 1);
        ServedModel auto = ModelLoaders.cpu(settings(RetrievalMode.AUTO, 10)).load("m", 1, bundle);
        try {
            assertTrue(auto.retrieval().available());
            assertFalse(auto.retrieval().byDefault(), "24 items are ranked exactly by default");
        } finally {
            auto.close();
        }
        ServedModel small = ModelLoaders.cpu(new RetrievalSettings(RetrievalMode.AUTO, 10, 24,
                ItemIndex.Params.DEFAULT)).load("m", 1, bundle);
        try {
            assertTrue(small.retrieval().byDefault(), "from 24 items on, retrieval");
        } finally {
            small.close();
        }
        ServedModel off = ModelLoaders.cpu(settings(RetrievalMode.OFF, 10)).load("m", 1, bundle);
        try {
            assertFalse(off.retrieval().available());
            assertTrue(off.retrieval().description().contains("off"), off.retrieval().description());
        } finally {
            off.close();
        }
    }

    @Test
    void aModelWithoutGmfHasNoIndexAndSaysWhy(@TempDir Path dir) throws Exception {
        ModelShape mlp = new ModelShape(Variant.MLP, TestBundles.USERS, TestBundles.ITEMS, 4, new int[] {8, 4});
        ServedModel m = ModelLoaders.cpu(settings(RetrievalMode.ON, 10)).load("m", 1,
                TestBundles.write(dir.resolve("b"), mlp, 1));
        try {
            assertFalse(m.retrieval().available());
            assertFalse(m.retrieval().byDefault());
            assertTrue(m.retrieval().description().contains("no inner-product part"), m.retrieval().description());
        } finally {
            m.close();
        }
    }
}
