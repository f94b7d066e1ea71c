package nnc.runtime.bench;

import java.util.SplittableRandom;
import nnc.runtime.kernels.ConvGeom;

/** What the benchmarks (nnc bench, the JMH module) measure on: shapes and random operands. */
public final class Operands {
    private Operands() {
    }

    /** The tutorial CNN's first convolution: 1 -> 32 channels, 3x3, on 28x28. */
    public static final ConvGeom CONV1 = new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26);
    /** Its second: 32 -> 64 channels, 3x3, on the pooled 13x13. */
    public static final ConvGeom CONV2 = new ConvGeom(32, 13, 13, 64, 3, 3, 1, 1, 0, 0, 11, 11);

    /** {@code size} values uniform in [-1, 1). */
    public static float[] random(int size, SplittableRandom rng) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
        }
        return a;
    }

    public static float[] random(int size, long seed) {
        return random(size, new SplittableRandom(seed));
    }
}
