package nnc.runtime.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The fixed-order lane sum: exactly the pairwise tree, whatever the values. The
 * tier-independent exponential: within 2 ulp of the double-precision one, expm1 exact to float
 * precision near 0, clamped rather than overflowing, and the same sum with or without storing.
 * (That it gives the same bits in every JIT tier is what DeterminismTest checks end to end.)
 */
class VMathTest {
    @Test
    void sumIsThePairwiseTree() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] v = new float[VMath.L];
        for (int rep = 0; rep < 10_000; rep++) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rng.nextDouble(-1, 1) * Math.pow(10, rng.nextInt(-4, 5)));
            }
            assertEquals(tree(v.clone()), VMath.sum(FloatVector.fromArray(VMath.S, v, 0)));
        }
    }

    @Test
    void expIsWithinTwoUlpOfTheDoubleExponential() {
        SplittableRandom rng = new SplittableRandom(2);
        int n = 100_003;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(VMath.EXP_LO, VMath.EXP_HI);
        }
        float[] e = new float[n];
        float sum = VMath.exp(x, 0, e, 0, n, 1f, 0f, 0f);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double want = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(e[i] - want) / Math.ulp((float) want));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(sum, VMath.exp(x, 0, null, 0, n, 1f, 0f, 0f), "the sum without storing");
    }

    @Test
    void expm1IsExactToFloatPrecisionNearZero() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 50_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble(-1, 1) * Math.pow(10, rng.nextInt(-9, 2)));
        }
        float[] m = new float[n];
        VMath.exp(x, 0, m, 0, n, 1f, 0f, 1f);
        for (int i = 0; i < n; i++) {
            double want = Math.expm1(x[i]);
            assertTrue(Math.abs(m[i] - want) <= 2 * Math.ulp((float) want), "expm1(" + x[i] + ") = " + m[i]);
        }
    }

    @Test
    void expClampsInsteadOfOverflowing() {
        float[] x = {-1e30f, -100f, 100f, 1e30f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        float[] e = new float[x.length];
        VMath.exp(x, 0, e, 0, x.length, 1f, 0f, 0f);
        for (int i = 0; i < 6; i++) {
            assertTrue(Float.isFinite(e[i]) && e[i] > 0, "exp(" + x[i] + ") = " + e[i]);
        }
        assertEquals((float) Math.exp(VMath.EXP_LO), e[0], Math.ulp(e[0]) * 2);
        assertEquals((float) Math.exp(VMath.EXP_HI), e[3], Math.ulp(e[3]) * 2);
    }

    /** Lane i plus lane i + h for h = L/2 ... 1 (lane i ^ h carries the same sum). */
    private static float tree(float[] t) {
        for (int h = t.length / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) {
                t[i] += t[i + h];
            }
        }
        return t[0];
    }
}
