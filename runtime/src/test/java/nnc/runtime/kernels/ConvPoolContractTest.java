package nnc.runtime.kernels;

import static nnc.runtime.kernels.KernelContractTest.assertClose;
import static nnc.runtime.kernels.KernelContractTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution + bias + ReLU + 2x2 max pooling in one pass ({@code K.conv2dMaxPool}), every
 * backend on one and two threads. Direct ({@link DirectConvPool}): against the same layers in
 * double precision, and bit for bit against its scalar twin and against the unfused kernels it
 * replaces (the direct convolution with the bias and ReLU in its epilogue, then max pooling).
 * Winograd ({@link Winograd#forwardPooled}): bit for bit against the unfused Winograd kernels
 * of the same backend, within {@link Tolerances#WINOGRAD} of double precision. Both with and
 * without the ReLU, with an epilogue after the pooling, one sample alone against the same
 * sample inside a batch, and never writing outside the output.
 */
class ConvPoolContractTest {
    private static final float GUARD = 12345.5f;
    private static final int LEAD = 3;
    private static final int TRAIL = 40;

    /** A convolution and the 2x2 stride-2 pooling of its output. */
    record Case(ConvGeom conv, PoolGeom pool) {
        static Case of(ConvGeom g) {
            return new Case(g, new PoolGeom(g.o(), g.oh(), g.ow(), 2, 2, 2, 2, 0, 0, g.oh() / 2, g.ow() / 2));
        }

        @Override
        public String toString() {
            return conv + " + maxpool 2x2";
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26),   // the tutorial's first layer
                new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 28, 28),   // same padding
                new ConvGeom(1, 10, 12, 16, 3, 3, 1, 1, 0, 0, 8, 10),    // 4 x 5 pooled: an odd column, rows in pairs
                new ConvGeom(1, 4, 20, 8, 3, 3, 1, 1, 0, 0, 2, 18),      // 1 x 9 pooled: one row, an odd column
                new ConvGeom(3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 32, 32),   // an RGB image
                new ConvGeom(3, 9, 7, 5, 3, 3, 1, 1, 1, 1, 9, 7),        // odd sizes (a row and column dropped), O % 4 = 1
                new ConvGeom(2, 6, 19, 6, 3, 3, 1, 1, 0, 0, 4, 17),      // wide and short, O % 4 = 2
                new ConvGeom(1, 5, 11, 3, 3, 3, 1, 1, 2, 0, 7, 9),       // asymmetric padding, O < 4
                new ConvGeom(1, 12, 12, 7, 5, 5, 1, 1, 2, 2, 12, 12),    // a 5x5 kernel
                new ConvGeom(2, 7, 7, 3, 2, 2, 1, 1, 0, 0, 6, 6),        // an even kernel
                new ConvGeom(3, 8, 40, 9, 1, 3, 1, 1, 0, 1, 8, 40),      // a 1x3 kernel
                new ConvGeom(1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 2, 2))        // one pooled output
                .map(Case::of);
    }

    static Stream<Case> winogradCases() {
        return Stream.of(
                new ConvGeom(32, 13, 13, 64, 3, 3, 1, 1, 0, 0, 11, 11),  // the tutorial's second layer
                new ConvGeom(8, 12, 12, 16, 3, 3, 1, 1, 1, 1, 12, 12),   // same padding
                new ConvGeom(3, 9, 7, 5, 3, 3, 1, 1, 1, 1, 9, 7),        // odd sizes, O not a multiple of a vector
                new ConvGeom(4, 15, 15, 9, 3, 3, 1, 1, 0, 0, 13, 13),    // 13 x 13 -> 6 x 6: a row of tiles pools nothing
                new ConvGeom(5, 8, 8, 16, 3, 3, 1, 1, 1, 1, 8, 8),       // 8 x 8 -> 4 x 4, several samples per block
                new ConvGeom(4, 6, 6, 3, 3, 3, 1, 1, 0, 0, 4, 4))        // one tile, a 2 x 2 output
                .map(Case::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("winogradCases")
    void winogradPooledMatchesTheUnfusedWinogradKernelsExactly(Case c) {
        assertTrue(Winograd.applies(c.conv()) && c.pool().halves(c.conv()), c + " should fuse");
        for (boolean relu : new boolean[] {true, false}) {
            for (int n : new int[] {1, 3}) {
                float[] x = random(n * c.conv().inSize() + 2, 91);
                float[] w = random(c.conv().weightSize() + 1, 92);
                float[] bias = random(c.conv().o() + 2, 93);
                String what = (relu ? "relu" : "no relu") + ", n " + n + ", " + c;
                float[] exact = reference(c, relu, n, x, w, bias);
                float tol = Tolerances.WINOGRAD * (float) Math.sqrt(c.conv().k());
                List<Runner> runners = new ArrayList<>(Runners.CANDIDATES);
                runners.add(Runners.REFERENCE);
                for (Runner r : runners) {
                    float[] y = fused(r, c, ConvAlgorithm.WINOGRAD, relu, n, x, w, bias, k -> Epilogue.NONE);
                    assertClose(exact, y, tol, "against double, " + what + ", " + r);
                    assertSameBits(unfused(r, c, ConvAlgorithm.WINOGRAD, relu, n, x, w, bias, k -> Epilogue.NONE), y,
                            "against the unfused Winograd kernels, " + what + ", " + r);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fusedMatchesTheDoubleReferenceItsTwinAndTheUnfusedKernelsExactly(Case c) {
        assertTrue(DirectConvPool.applies(c.conv(), c.pool()), c + " should fuse");
        for (boolean relu : new boolean[] {true, false}) {
            for (int n : new int[] {1, 3}) {
                float[] x = random(n * c.conv().inSize() + 2, 61);
                float[] w = random(c.conv().weightSize() + 1, 62);
                float[] bias = random(c.conv().o() + 2, 63);
                String what = (relu ? "relu" : "no relu") + ", n " + n + ", " + c;
                float[] twin = fused(Runners.REFERENCE, c, ConvAlgorithm.DIRECT, relu, n, x, w, bias, k -> Epilogue.NONE);
                float tol = Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(c.conv().k());
                assertClose(reference(c, relu, n, x, w, bias), twin, tol, "scalar fused against double, " + what);
                List<Runner> runners = new ArrayList<>(Runners.CANDIDATES);
                runners.add(Runners.REFERENCE);
                for (Runner r : runners) {
                    assertSameBits(twin, fused(r, c, ConvAlgorithm.DIRECT, relu, n, x, w, bias, k -> Epilogue.NONE),
                            "against the scalar twin, " + what + ", " + r);
                    assertSameBits(twin, unfused(r, c, ConvAlgorithm.DIRECT, relu, n, x, w, bias, k -> Epilogue.NONE),
                            "the unfused kernels against the fused twin, " + what + ", " + r);
                }
            }
        }
    }

    /**
     * Samples whose sums overflow to infinities and NaN, or that hold a NaN or an infinity, next to
     * an ordinary one: the twin's bits on every path of the pooling (the SIMD kernels take the
     * maxima of such samples' sums with NaN in mind), NCHW and channel-blocked.
     */
    @Test
    void overflowingAndNanSamplesGetTheTwinsBits() {
        Case c = cases().findFirst().orElseThrow();
        ConvGeom g = c.conv();
        int n = 4;
        float[] x = random(n * g.inSize(), 101);
        for (int i = 0; i < g.inSize(); i += 7) {
            x[g.inSize() + i] *= 3e37f;
        }
        x[2 * g.inSize() + 100] = Float.NaN;
        x[2 * g.inSize() + 500] = Float.NEGATIVE_INFINITY;
        x[3 * g.inSize() + 300] = Float.POSITIVE_INFINITY;
        float[] w = random(g.weightSize(), 102);
        float[] bias = random(g.o(), 103);
        for (boolean relu : new boolean[] {true, false}) {
            float[] twin = new float[n * c.pool().outSize()];
            Runners.SCALAR.conv2dMaxPool(Runners.ONE, g, ConvAlgorithm.DIRECT, c.pool(), relu, n, x, 0, w, 0, bias, 0,
                    twin, 0, Epilogue.NONE);
            assertTrue(IntStream.range(0, twin.length).anyMatch(i -> Float.isNaN(twin[i])), "a NaN output");
            assertTrue(IntStream.range(0, twin.length).anyMatch(i -> Float.isInfinite(twin[i])), "an infinite output");
            for (Runner r : Runners.CANDIDATES) {
                float[] y = new float[twin.length];
                r.k().conv2dMaxPool(r.ex(), g, ConvAlgorithm.DIRECT, c.pool(), relu, n, x, 0, w, 0, bias, 0, y, 0,
                        Epilogue.NONE);
                assertSameBits(twin, y, (relu ? "relu, " : "no relu, ") + r);
            }
            float[] blocked = new float[twin.length];
            Backend.simd().directPool().forward(new Workspace(), g, c.pool(), relu, 0, n, x, 0, w, 0,
                    bias, 0, blocked, 0, 8, Epilogue.NONE);
            float[] expected = new float[twin.length];
            for (int s = 0; s < n; s++) {
                ChannelLayout.toBlocked(twin, s * c.pool().outSize(), expected, s * c.pool().outSize(), g.o(),
                        c.pool().oh() * c.pool().ow(), 8);
            }
            assertSameBits(expected, blocked, (relu ? "relu" : "no relu") + ", blocked by 8");
        }
    }

    /** Steps after the pooling run on its output planes, as they would after {@code maxPool}. */
    @Test
    void anEpilogueAfterThePoolingGivesWhatItGivesAfterTheUnfusedKernels() {
        Case c = Case.of(new ConvGeom(3, 11, 13, 6, 3, 3, 1, 1, 1, 1, 11, 13));
        int n = 2;
        float[] x = random(n * c.conv().inSize() + 2, 71);
        float[] w = random(c.conv().weightSize() + 1, 72);
        float[] bias = random(c.conv().o() + 2, 73);
        float[] more = random(c.conv().o(), 74);
        int plane = c.pool().oh() * c.pool().ow();
        Function<Kernels, Epilogue> epi = k -> k.epilogue(LEAD).bias(more, 0, plane, c.conv().o())
                .act(Act.TANH, 0).scale(0.5f).build();
        for (ConvAlgorithm a : new ConvAlgorithm[] {ConvAlgorithm.DIRECT, ConvAlgorithm.WINOGRAD}) {
            for (Runner r : Runners.CANDIDATES) {
                assertSameBits(unfused(r, c, a, true, n, x, w, bias, epi), fused(r, c, a, true, n, x, w, bias, epi),
                        a + ", epilogue " + epi.apply(r.k()) + ", " + r);
            }
        }
    }

    /** A sample's outputs have the same bits alone as at every place in a batch. */
    @Test
    void aSampleHasTheSameBitsAloneAndInABatch() {
        Case c = cases().findFirst().orElseThrow();
        int n = 7;
        float[] x = random(n * c.conv().inSize(), 81);
        float[] w = random(c.conv().weightSize(), 82);
        float[] bias = random(c.conv().o(), 83);
        Kernels k = Runners.SIMD;
        for (var ex : List.of(Runners.ONE, Runners.TWO)) {
            float[] batch = new float[n * c.pool().outSize()];
            k.conv2dMaxPool(ex, c.conv(), ConvAlgorithm.DIRECT, c.pool(), true, n, x, 0, w, 0, bias, 0, batch, 0,
                    Epilogue.NONE);
            for (int s = 0; s < n; s++) {
                float[] one = new float[c.pool().outSize()];
                k.conv2dMaxPool(Runners.ONE, c.conv(), ConvAlgorithm.DIRECT, c.pool(), true, 1, x,
                        s * c.conv().inSize(), w, 0, bias, 0, one, 0, Epilogue.NONE);
                assertSameBits(one, Arrays.copyOfRange(batch, s * one.length, (s + 1) * one.length), "sample " + s);
            }
        }
    }

    @Test
    void onlyADirectConvolutionAndA2x2PoolingAtStride2Fuse() {
        ConvGeom g = new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26);
        assertTrue(DirectConvPool.applies(g, Case.of(g).pool()));
        assertFalse(DirectConvPool.applies(g, new PoolGeom(32, 26, 26, 3, 3, 2, 2, 0, 0, 12, 12)), "3x3 windows");
        assertFalse(DirectConvPool.applies(g, new PoolGeom(32, 26, 26, 2, 2, 1, 1, 0, 0, 25, 25)), "stride 1");
        assertFalse(DirectConvPool.applies(g, new PoolGeom(32, 26, 26, 2, 2, 2, 2, 1, 1, 14, 14)), "padded");
        assertFalse(DirectConvPool.applies(g, new PoolGeom(16, 26, 26, 2, 2, 2, 2, 0, 0, 13, 13)), "other channels");
        ConvGeom strided = new ConvGeom(1, 28, 28, 32, 3, 3, 2, 2, 0, 0, 13, 13);
        assertFalse(DirectConvPool.applies(strided, new PoolGeom(32, 13, 13, 2, 2, 2, 2, 0, 0, 6, 6)), "conv stride 2");
    }

    /** The fused kernel, x at offset 2, w at 1, bias at 2, into y at {@link #LEAD} between guards. */
    private static float[] fused(Runner r, Case c, ConvAlgorithm a, boolean relu, int n, float[] x, float[] w,
                                 float[] bias, Function<Kernels, Epilogue> epi) {
        float[] y = guarded(c, n);
        r.k().conv2dMaxPool(r.ex(), c.conv(), a, c.pool(), relu, n, x, 2, w, 1, bias, 2, y, LEAD, epi.apply(r.k()));
        checkGuards(y, c, n, r);
        return y;
    }

    /** What the fused kernel replaces: the convolution by {@code a} with the bias and ReLU as its epilogue, then max pooling. */
    private static float[] unfused(Runner r, Case c, ConvAlgorithm a, boolean relu, int n, float[] x, float[] w,
                                   float[] bias, Function<Kernels, Epilogue> epi) {
        ConvGeom g = c.conv();
        float[] s = new float[n * g.outSize()];
        var conv = r.k().epilogue(0).bias(bias, 2, g.p(), g.o());
        r.k().conv2d(r.ex(), g, a, n, x, 2, w, 1, s, 0,
                (relu ? conv.act(Act.RELU, 0) : conv).build());
        float[] y = guarded(c, n);
        r.k().maxPool(r.ex(), c.pool(), n, s, 0, y, LEAD, epi.apply(r.k()));
        checkGuards(y, c, n, r);
        return y;
    }

    private static float[] guarded(Case c, int n) {
        float[] y = new float[LEAD + n * c.pool().outSize() + TRAIL];
        Arrays.fill(y, GUARD);
        return y;
    }

    private static void checkGuards(float[] y, Case c, int n, Runner r) {
        for (int i = 0; i < LEAD; i++) {
            assertEquals(GUARD, y[i], "written before the output at " + i + ", " + c + ", " + r);
        }
        for (int i = LEAD + n * c.pool().outSize(); i < y.length; i++) {
            assertEquals(GUARD, y[i], "written past the output at " + i + ", " + c + ", " + r);
        }
    }

    /** The layers in double precision, laid out like {@link #fused}'s result. */
    private static float[] reference(Case c, boolean relu, int n, float[] x, float[] w, float[] bias) {
        ConvGeom g = c.conv();
        PoolGeom p = c.pool();
        float[] y = guarded(c, n);
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < g.o(); o++) {
                for (int i = 0; i < p.oh(); i++) {
                    for (int j = 0; j < p.ow(); j++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int a = 0; a < 4; a++) {
                            m = Math.max(m, conv(g, x, 2 + b * g.inSize(), w, 1, o, 2 * i + a / 2, 2 * j + a % 2));
                        }
                        double v = m + bias[2 + o];
                        y[LEAD + b * p.outSize() + (o * p.oh() + i) * p.ow() + j] = (float) (relu ? Math.max(0, v) : v);
                    }
                }
            }
        }
        return y;
    }

    private static double conv(ConvGeom g, float[] x, int xb, float[] w, int wOff, int o, int i, int j) {
        double s = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int u = 0; u < g.kh(); u++) {
                for (int v = 0; v < g.kw(); v++) {
                    int h = i - g.pt() + u;
                    int q = j - g.pl() + v;
                    if (h >= 0 && h < g.h() && q >= 0 && q < g.w()) {
                        s += x[xb + (c * g.h() + h) * g.w() + q] * (double) w[wOff + ((o * g.c() + c) * g.kh() + u) * g.kw() + v];
                    }
                }
            }
        }
        return s;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToRawIntBits(expected[i]);
            int a = Float.floatToRawIntBits(actual[i]);
            if (e != a) {
                assertEquals(expected[i], actual[i], what + " at " + i);
                assertEquals(e, a, what + ": the sign of zero at " + i);
            }
        }
    }
}
