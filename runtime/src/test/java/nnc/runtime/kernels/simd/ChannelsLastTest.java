package nnc.runtime.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.Epilogue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ChannelsLast} (whichever path this machine's vector width takes: register transposes,
 * gathers or loops) against plain loops, bit for bit: NCHW into a padded channels-last slot
 * (zero everywhere else), and back with the epilogues it runs itself (bias per channel, ReLU,
 * both), at odd offsets, with planes under and over 8 pixels, channel counts that are not a
 * multiple of the vector width, and samples past the first of the epilogue's tensor. Nothing
 * outside the sample is written.
 */
class ChannelsLastTest {
    private static final float CANARY = 12345f;

    @ParameterizedTest(name = "C={0} H={1} W={2}")
    @CsvSource({"32, 13, 13", "64, 11, 11", "5, 7, 6", "9, 2, 3", "17, 9, 10", "8, 1, 8", "3, 3, 3"})
    void inIsTheChannelsLastCopyWithZeroPadding(int channels, int h, int w) {
        int cq = (channels + 15) / 16 * 16;
        int top = 2;
        int left = 1;
        int rows = h + 4;
        int wp = w + 3;
        int xb = 3;
        float[] x = random(xb + channels * h * w + 5, 1);
        float[] slot = new float[7 + rows * wp * cq + 9];
        java.util.Arrays.fill(slot, CANARY);
        float[] expected = slot.clone();
        java.util.Arrays.fill(expected, 7, 7 + rows * wp * cq, 0f);
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < h; r++) {
                for (int q = 0; q < w; q++) {
                    expected[7 + ((r + top) * wp + left + q) * cq + c] = x[xb + (c * h + r) * w + q];
                }
            }
        }
        ChannelsLast.in(x, xb, channels, h, w, slot, 7, rows, wp, top, left, cq, new int[Math.max(64, h * w)]);
        assertArrayEquals(expected, slot);
    }

    @ParameterizedTest(name = "O={0} OH={1} OW={2} bias={3} relu={4}")
    @CsvSource({"64, 11, 11, true, true", "64, 11, 11, false, false", "32, 13, 13, true, false",
        "9, 7, 6, false, true", "24, 7, 10, true, true", "2, 3, 3, true, true", "5, 1, 9, true, true"})
    void outIsTheNchwCopyWithTheFusedEpilogue(int channels, int oh, int ow, boolean bias, boolean relu) {
        int oq = (channels + ChannelsLast.L - 1) / ChannelsLast.L * ChannelsLast.L;
        int wp = ow + 2;
        int rows = oh + 1;
        int plane = oh * ow;
        int sample = channels * plane;
        float[] slot = random(5 + (rows * wp + ChannelsLast.L) * oq, 2);
        float[] b = random(channels + 3, 3);
        int base = 4;
        int yb = base + 2 * sample;  // the third sample of the epilogue's tensor
        Epilogue.Builder eb = Epilogue.on(base);
        if (bias) {
            eb.bias(b, 3, plane, channels);
        }
        if (relu) {
            eb.act(Act.RELU, 0);
        }
        Epilogue epi = eb.build();
        assertTrue(ChannelsLast.fuses(epi, plane, yb - base));
        float[] y = new float[yb + sample + 6];
        java.util.Arrays.fill(y, CANARY);
        float[] expected = y.clone();
        for (int o = 0; o < channels; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float v = slot[5 + (i * wp + j) * oq + o];
                    v = bias ? v + b[3 + o] : v;
                    expected[yb + (o * oh + i) * ow + j] = relu ? Math.max(v, 0f) : v;
                }
            }
        }
        ChannelsLast.out(slot, 5, wp, oq, y, yb, channels, oh, ow, new int[Math.max(64, plane)], epi);
        assertArrayEquals(expected, y);
    }

    @ParameterizedTest(name = "plane={0}")
    @CsvSource({"121", "7"})
    void otherEpiloguesAreNotFused(int plane) {
        float[] b = new float[4];
        assertFalse(ChannelsLast.fuses(Epilogue.on(0).act(Act.SIGMOID, 0).build(), plane, 0));
        assertFalse(ChannelsLast.fuses(Epilogue.on(0).bias(b, 0, 1, 4).build(), plane, 0));
        assertFalse(ChannelsLast.fuses(Epilogue.on(0).bias(b, 0, plane, 4).build(), plane, 1));
        assertFalse(ChannelsLast.fuses(Epilogue.on(0).act(Act.RELU, 0).bias(b, 0, plane, 4).build(), plane, 0));
        assertFalse(ChannelsLast.fuses(Epilogue.on(0).bias(b, 0, plane, 4).act(Act.RELU, 0).scale(2f).build(), plane,
                0));
        assertTrue(ChannelsLast.fuses(Epilogue.NONE, plane, 3));
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-1, 1);
        }
        return v;
    }
}
