package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Per-channel normalisation, against values worked out by hand. */
class NormalizeTest {
    /** Two samples [3, 1, 2] of bytes: channel c of sample s holds pixels (s, c) and (s, c) + 1. */
    private static Dataset images() {
        byte[] pixels = {
            0, (byte) 255, 51, 102, (byte) 204, (byte) 153,
            (byte) 255, 0, 102, 51, (byte) 153, (byte) 204};
        return Dataset.ofBytes("t", new int[] {3, 1, 2}, pixels, new float[] {0, 1}, 2);
    }

    @Test
    void eachChannelHasItsOwnMeanAndDeviation() {
        Dataset d = images().normalized(new float[] {0.5f, 0.2f, 0.6f}, new float[] {0.5f, 0.1f, 0.2f});
        float[] x = new float[12];
        float[] t = new float[2];
        d.copyBatch(null, 0, 2, x, 0, t, 0, false, null);
        // (p/255 - mean[c]) / std[c]: channel 0 (0.5, 0.5): 0 -> -1, 255 -> 1;
        // channel 1 (0.2, 0.1): 51 -> 0, 102 -> 2; channel 2 (0.6, 0.2): 204 -> 1, 153 -> 0.
        float[] expected = {-1, 1, 0, 2, 1, 0, 1, -1, 2, 0, 0, 1};
        assertArrayEquals(expected, x, 1e-5f);
        assertArrayEquals(new float[] {0, 1}, t);
    }

    @Test
    void oneValueAppliesToEveryChannel() {
        Dataset d = images().normalized(new float[] {0.5f}, new float[] {0.5f});
        float[] x = new float[6];
        d.copyBatch(null, 0, 1, x, 0, new float[1], 0, false, null);
        assertArrayEquals(new float[] {-1, 1, -0.6f, -0.2f, 0.6f, 0.2f}, x, 1e-5f);
    }

    @Test
    void normalisationsCompose() {
        Dataset twice = images().normalized(new float[] {0.5f}, new float[] {0.5f})
                .normalized(new float[] {0f, 1f, 0f}, new float[] {1f, 2f, 1f});
        float[] x = new float[6];
        twice.copyBatch(null, 0, 1, x, 0, new float[1], 0, false, null);
        assertArrayEquals(new float[] {-1, 1, -0.8f, -0.6f, 0.6f, 0.2f}, x, 1e-5f);
    }

    @Test
    void theWrongNumberOfStatisticsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> images().normalized(new float[] {0.1f, 0.2f}, new float[] {1f}));
    }
}
