package org.ncf4j.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.sampling.EpochExamples;
import org.ncf4j.trainer.settings.OptimizerKind;

class SparseTrainerTest {
    private static final ModelShape SHAPE = new ModelShape(Variant.NEUMF, 40, 30, 4, new int[] {16, 8, 4});

    /** A batch with repeated users and items, so that gradients of one row must be summed. */
    private static EpochExamples examples(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] users = new int[n];
        int[] items = new int[n];
        float[] signs = new float[n];
        for (int i = 0; i < n; i++) {
            users[i] = r.nextInt(SHAPE.numUsers() / 4); // a quarter of the users: rows repeat, others stay unused
            items[i] = r.nextInt(SHAPE.numItems());
            signs[i] = r.nextInt(5) == 0 ? -1f : 1f;
        }
        return new EpochExamples(0, users, items, signs, n / 5, n - n / 5);
    }

    private static Map<String, float[]> values(NcfModel model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.parameters().forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
        return out;
    }

    private static Map<String, float[]> train(OptimizerKind optimizer, float embeddingL2, float layerL2, int threads,
                                              List<EpochExamples> epochs, int batch) {
        try (NcfModel model = NcfModel.create(SHAPE, Device.cpu(), 3, embeddingL2, layerL2);
             EpochTrainer trainer = new EpochTrainer(model, optimizer, 0.01f, batch, threads)) {
            for (EpochExamples e : epochs) {
                assertTrue(Double.isFinite(trainer.train(e, null)));
            }
            return values(model);
        }
    }

    @Test
    void firstStepEqualsDenseAdamWithAndWithoutL2() {
        // at step 1 no moment is non-zero yet, so lazy and dense Adam make the same update: the rows' gradients
        // (gathered rows, summed per row) must equal those of the dense embedding
        for (float l2 : new float[] {0f, 0.01f}) {
            List<EpochExamples> one = List.of(examples(64, 7));
            Map<String, float[]> lazy = train(OptimizerKind.LAZY_ADAM, l2, l2, 1, one, 64);
            Map<String, float[]> dense = train(OptimizerKind.DENSE_ADAM, l2, l2, 1, one, 64);
            for (String name : dense.keySet()) {
                assertArrayEquals(dense.get(name), lazy.get(name), 2e-6f, name + " with L2 " + l2);
            }
        }
    }

    @Test
    void catchingUpSkippedStepsGivesDenseAdamsResult() {
        // many steps, in which most rows are missing from most batches (batch 16 of 10 users and 30 items), across
        // two epochs (the end of an epoch catches every row up)
        List<EpochExamples> epochs = List.of(examples(96, 21), examples(96, 22));
        Map<String, float[]> rows = train(OptimizerKind.ADAM, 0.001f, 0.001f, 1, epochs, 16);
        Map<String, float[]> dense = train(OptimizerKind.DENSE_ADAM, 0.001f, 0.001f, 1, epochs, 16);
        Map<String, float[]> lazy = train(OptimizerKind.LAZY_ADAM, 0.001f, 0.001f, 1, epochs, 16);
        for (String name : dense.keySet()) {
            float[] d = dense.get(name);
            double scale = 0;
            for (float x : d) {
                scale = Math.max(scale, Math.abs(x));
            }
            // within 1% of the largest weight, where lazy Adam differs far more (below)
            assertTrue(distance(d, rows.get(name)) / d.length < 0.01 * scale, name + ": mean difference "
                    + distance(d, rows.get(name)) / d.length + " against weights up to " + scale);
        }
        for (String table : List.of("gmf_user_embedding", "gmf_item_embedding", "mlp_user_embedding",
                "mlp_item_embedding")) {
            double caughtUp = distance(dense.get(table), rows.get(table));
            double lazyGap = distance(dense.get(table), lazy.get(table));
            assertTrue(caughtUp < 0.01 * lazyGap, table + ": catch-up " + caughtUp + " against lazy " + lazyGap);
        }
    }

    @Test
    void laterStepsLeaveUnusedRowsAloneWhereDenseAdamMovesThem() {
        List<EpochExamples> two = List.of(examples(64, 7), examples(64, 8));
        try (NcfModel initial = NcfModel.create(SHAPE, Device.cpu(), 3, 0, 0)) {
            Map<String, float[]> start = values(initial);
            Map<String, float[]> lazy = train(OptimizerKind.LAZY_ADAM, 0, 0, 1, two, 32);
            Map<String, float[]> dense = train(OptimizerKind.DENSE_ADAM, 0, 0, 1, two, 32);
            int dim = SHAPE.factor();
            // users of the last quarter never occur: lazy Adam keeps them, and so does dense Adam (zero moments)
            int unused = SHAPE.numUsers() - 1;
            for (int j = 0; j < dim; j++) {
                assertEquals(start.get("gmf_user_embedding")[unused * dim + j],
                        lazy.get("gmf_user_embedding")[unused * dim + j]);
            }
            // a user of the first batch missing from the second: dense Adam moves it by its momentum, lazy does not
            boolean differs = false;
            float[] l = lazy.get("gmf_item_embedding");
            float[] d = dense.get("gmf_item_embedding");
            for (int k = 0; k < l.length; k++) {
                differs |= Math.abs(l[k] - d[k]) > 1e-7;
            }
            assertTrue(differs, "lazy and dense Adam should differ after the second step");
        }
    }

    @Test
    void oneWorkerIsReproducibleAndSeveralWorkersTrainToo() {
        List<EpochExamples> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            epochs.add(examples(2000, 11 + e));
        }
        Map<String, float[]> a = train(OptimizerKind.ADAM, 0, 0, 1, epochs, 50);
        Map<String, float[]> b = train(OptimizerKind.ADAM, 0, 0, 1, epochs, 50);
        a.forEach((name, v) -> assertArrayEquals(v, b.get(name), name));
        Map<String, float[]> hogwild = train(OptimizerKind.ADAM, 0, 0, 2, epochs, 50);
        try (NcfModel initial = NcfModel.create(SHAPE, Device.cpu(), 3, 0, 0)) {
            // every parameter moved from its start, with both workers' updates in the shared memory
            values(initial).forEach((name, v) -> {
                for (float x : hogwild.get(name)) {
                    assertTrue(Float.isFinite(x), name);
                }
                assertNotEquals(0f, distance(v, hogwild.get(name)), name);
            });
        }
    }

    @Test
    void hogwildLossFallsLikeOneWorkers() {
        try (NcfModel one = NcfModel.create(SHAPE, Device.cpu(), 3, 0, 0);
             NcfModel two = NcfModel.create(SHAPE, Device.cpu(), 3, 0, 0);
             EpochTrainer t1 = new EpochTrainer(one, OptimizerKind.ADAM, 0.01f, 50, 1);
             EpochTrainer t2 = new EpochTrainer(two, OptimizerKind.LAZY_ADAM, 0.01f, 50, 2)) {
            double first1 = 0;
            double first2 = 0;
            double last1 = 0;
            double last2 = 0;
            EpochExamples ex = learnable(4000);
            for (int e = 0; e < 6; e++) {
                last1 = t1.train(ex, null);
                last2 = t2.train(ex, null);
                if (e == 0) {
                    first1 = last1;
                    first2 = last2;
                }
            }
            // both fit the labels: the loss falls by more than 90% with one worker and with two
            assertTrue(last1 < 0.1 * first1, "one worker: " + first1 + " -> " + last1);
            assertTrue(last2 < 0.1 * first2, "two workers: " + first2 + " -> " + last2);
        }
    }

    /** Examples whose label a model can learn: positive when user and item agree modulo 3. */
    private static EpochExamples learnable(int n) {
        SplittableRandom r = new SplittableRandom(5);
        int[] users = new int[n];
        int[] items = new int[n];
        float[] signs = new float[n];
        for (int i = 0; i < n; i++) {
            users[i] = r.nextInt(SHAPE.numUsers());
            items[i] = r.nextInt(SHAPE.numItems());
            signs[i] = users[i] % 3 == items[i] % 3 ? -1f : 1f;
        }
        return new EpochExamples(0, users, items, signs, n / 3, n - n / 3);
    }

    /** The config refuses it first ({@code TrainConfigTest}); a trainer made without one refuses it too. */
    @Test
    void severalThreadsNeedLazyAdam() {
        try (NcfModel model = NcfModel.create(SHAPE, Device.cpu(), 3, 0, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EpochTrainer(model, OptimizerKind.DENSE_ADAM, 0.01f, 8, 2));
            assertTrue(e.getMessage().contains("needs --optimizer adam or lazy-adam"), e.getMessage());
        }
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s;
    }

    /** Training only the output layer leaves embeddings and hidden layers as they were, with every optimizer. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(OptimizerKind.class)
    void frozenParametersKeepTheirValues(OptimizerKind optimizer) {
        try (NcfModel model = NcfModel.create(SHAPE, Device.cpu(), 3, 0, 0)) {
            Map<String, float[]> before = values(model);
            try (EpochTrainer trainer = new EpochTrainer(model, optimizer, 0.01f, 16, 1,
                    n -> n.startsWith("output_"))) {
                assertTrue(Double.isFinite(trainer.train(examples(200, 9), null)));
            }
            Map<String, float[]> after = values(model);
            for (String name : before.keySet()) {
                if (name.startsWith("output_")) {
                    assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)), name + " did not train");
                } else {
                    assertArrayEquals(before.get(name), after.get(name), name + " changed");
                }
            }
        }
    }
}
