package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Reads the NCF paper's MovieLens 1M split from the directory named by {@code NCF_DATA_DIR}. Without the data the
 * test is skipped, except on CI ({@code CI=true}), where missing data is a failure.
 */
class NcfSplitFilesRealDataTest {

    @Test
    void readsTheMovieLens1mSplitOfTheNcfPaper() {
        Split split = new NcfSplitFiles(RealData.dir()).read();
        assertEquals(6040, split.numUsers());
        assertEquals(3706, split.numItems());
        assertEquals(994_169, split.train().size());
        EvalSet test = split.test();
        assertEquals(6040, test.size());
        int withOwnItem = 0;
        for (int i = 0; i < test.size(); i++) {
            assertEquals(i, test.users()[i], "test users in order");
            assertEquals(99, test.negatives(i).length, "negatives of user " + i);
            int positive = test.positives()[i];
            for (int neg : test.negatives(i)) {
                if (neg == positive) {
                    withOwnItem++;
                    break;
                }
            }
        }
        assertEquals(156, withOwnItem, "users whose test item is among their own negatives");
    }
}
