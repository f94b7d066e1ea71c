package nnc.runtime.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The fixed-order lane sum: exactly the pairwise tree, whatever the values. */
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
