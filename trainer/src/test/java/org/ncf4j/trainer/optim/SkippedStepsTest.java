package org.ncf4j.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class SkippedStepsTest {

    /** Dense Adam's steps last+1 .. until with a zero gradient, in double precision (betas as floats). */
    private static double[] dense(double w, double m, double v, long last, long until) {
        double b1 = 0.9f;
        double b2 = 0.999f;
        for (long s = last + 1; s <= until; s++) {
            m *= b1;
            v *= b2;
            double lr = 0.001f / (1 - Math.pow(b1, s));
            double c = 1 / Math.sqrt(1 - Math.pow(b2, s));
            w -= lr * m / (Math.sqrt(v) * c + 1e-8);
        }
        return new double[] {w, m, v};
    }

    @Test
    void takingSkippedStepsAtOnceEqualsDenseAdamsZeroGradientSteps() {
        SkippedSteps steps = new SkippedSteps(0.001f, 0.9f, 0.999f);
        long[][] cases = {{1, 2}, {1, 40}, {3, 500}, {100, 101}, {16_000, 16_700}, {16_384, 16_390},
            {50_000, 50_003}, {50_000, 90_000}, {2, 9_000}, {1, 21_000}, {7, 1_050_000}};
        for (long[] c : cases) {
            float[] w = {0.05f, -0.02f};
            float[] mv = {0.003f, -0.001f, 2e-5f, 4e-6f}; // a row's state: first moments, then second
            float[] m = {mv[0], mv[1]};
            float[] v = {mv[2], mv[3]};
            double[][] expected = {dense(w[0], m[0], v[0], c[0], c[1]), dense(w[1], m[1], v[1], c[0], c[1])};
            steps.take(FloatBuffer.wrap(w), 0, FloatBuffer.wrap(mv), 0, 2, 2, c[0], c[1]);
            m = new float[] {mv[0], mv[1]};
            v = new float[] {mv[2], mv[3]};
            for (int i = 0; i < 2; i++) {
                String at = "element " + i + " from step " + c[0] + " to " + c[1];
                double move = Math.abs(expected[i][0] - (i == 0 ? 0.05 : -0.02));
                assertEquals(expected[i][0], w[i], 1e-3 * move + 1e-9, "weight, " + at);
                assertEquals(expected[i][1], m[i], 1e-5 * Math.abs(expected[i][1]) + 1e-30, "first moment, " + at);
                assertEquals(expected[i][2], v[i], 1e-5 * Math.abs(expected[i][2]) + 1e-30, "second moment, " + at);
            }
        }
    }

    @Test
    void aRowNeverUpdatedStaysAsItIs() {
        float[] w = {0.5f};
        float[] mv = {0f, 0f};
        new SkippedSteps(0.001f, 0.9f, 0.999f).take(FloatBuffer.wrap(w), 0, FloatBuffer.wrap(mv), 0, 1, 1, 0, 1000);
        assertEquals(0.5f, w[0]);
    }

    @Test
    void tabulatedPowersAgreeWithMathPowWithinARounding() {
        for (double base : new double[] {0.9f, 0.999f, 0.5, 0.99999}) {
            SkippedSteps.Powers powers = new SkippedSteps.Powers(base);
            long[] ks = {0, 1, 2, 1023, 1024, 1025, 5_000, 65_537, 1_048_575, 1_048_576, 3_000_000};
            for (long k : ks) {
                double expected = Math.pow(base, k);
                assertEquals(expected, powers.pow(k), 4 * Math.ulp(expected), base + "^" + k);
            }
        }
    }

    @Test
    void momentsThatWouldDecayBelowTheNormalFloatsBecomeZero() {
        SkippedSteps steps = new SkippedSteps(0.001f, 0.9f, 0.999f);
        for (long skipped : new long[] {700, 829, 900, 5_000, 100_000}) {
            float[] w = {0.05f, -0.02f};
            float[] mv = {1e-3f, -2e-7f, 1e-6f, Float.MIN_NORMAL * 2};
            steps.take(FloatBuffer.wrap(w), 0, FloatBuffer.wrap(mv), 0, 2, 2, 10_000, 10_000 + skipped);
            for (float x : mv) {
                assertTrue(x == 0 || Math.abs(x) >= Float.MIN_NORMAL, "a subnormal moment " + x + " after "
                        + skipped + " skipped steps");
            }
            double exact = 1e-3 * Math.pow(0.9f, skipped);
            assertEquals(exact < Float.MIN_NORMAL ? 0 : exact, mv[0], 1e-5 * exact, "first moment after " + skipped);
            assertEquals(0f, mv[3], "a second moment at the bottom of the normal floats after " + skipped);
        }
    }
}
