package nnc.runtime.kernels;

import static nnc.runtime.kernels.KernelContractTest.assertClose;
import static nnc.runtime.kernels.KernelContractTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Winograd F(4x4, 3x3), every backend on one and two threads, against convolution computed in
 * double precision: forward (with a bias + ReLU epilogue), backward data, and the weight and
 * bias gradients of one pass. The error bound is {@link Tolerances#WINOGRAD} times the square
 * root of the number of terms a result sums (see there for why it is larger than a direct sum's).
 */
class WinogradContractTest {

    static Stream<ConvGeom> geometries() {
        return Stream.of(
                new ConvGeom(32, 13, 13, 64, 3, 3, 1, 1, 0, 0, 11, 11),  // the tutorial CNN's second layer
                new ConvGeom(32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 14, 14),  // the batch-norm CNN's third
                new ConvGeom(8, 28, 28, 16, 3, 3, 1, 1, 1, 1, 28, 28),   // 7 x 7 tiles per sample, same padding
                new ConvGeom(5, 7, 6, 9, 3, 3, 1, 1, 2, 0, 9, 4),        // odd channels, asymmetric padding
                new ConvGeom(3, 3, 3, 2, 3, 3, 1, 1, 1, 1, 3, 3),        // one tile per sample
                new ConvGeom(17, 9, 10, 24, 3, 3, 1, 1, 0, 1, 7, 10));   // partial tiles, channels past a panel
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void winogradMatchesTheDoubleReferenceOnEveryBackend(ConvGeom g) {
        assertTrue(Winograd.applies(g), g + " should take Winograd");
        int n = 5;
        float[] x = random(n * g.inSize() + 2, 11);
        float[] w = random(g.weightSize() + 1, 12);
        float[] dy = random(n * g.outSize() + 3, 13);
        float[] bias = random(g.o(), 14);
        double[][] e = reference(g, n, x, 2, w, 1, dy, 3, bias);
        int[] terms = {g.c() * 9, g.o() * 9, n * g.p(), n * g.p()};
        String[] what = {"forward + bias + relu", "backward data", "weight gradient", "bias gradient"};
        List<Runner> runners = new ArrayList<>(Runners.CANDIDATES);
        runners.add(Runners.REFERENCE);
        for (Runner r : runners) {
            float[][] a = winograd(r, g, n, x, w, dy, bias);
            for (int i = 0; i < e.length; i++) {
                float tol = (i == 3 ? Tolerances.SUM_PER_SQRT_TERM : Tolerances.WINOGRAD) * (float) Math.sqrt(terms[i]);
                assertClose(floats(e[i]), a[i], tol, what[i] + " " + g + ", " + r);
            }
        }
    }

    /** The three passes by Winograd, at odd offsets: y (+ bias, ReLU), dx, dw and db. */
    private static float[][] winograd(Runner r, ConvGeom g, int n, float[] x, float[] w, float[] dy, float[] bias) {
        float[] y = new float[n * g.outSize() + 4];
        float[] dx = new float[n * g.inSize() + 1];
        float[] dw = new float[g.weightSize() + 2];
        float[] db = new float[g.o() + 1];
        ConvAlgorithm a = ConvAlgorithm.WINOGRAD;
        r.k().conv2d(r.ex(), g, a, n, x, 2, w, 1, y, 4, r.k().epilogue(4).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0)
                .build());
        r.k().conv2dBackwardData(r.ex(), g, a, n, dy, 3, w, 1, dx, 1, Epilogue.NONE);
        r.k().conv2dBackwardWeights(r.ex(), g, a, n, dy, 3, x, 2, dw, 2, db, 1);
        return new float[][] {y, dx, dw, db};
    }

    /** Direct convolution in double, laid out like {@link #winograd}'s results. */
    private static double[][] reference(ConvGeom g, int n, float[] x, int xOff, float[] w, int wOff, float[] dy,
                                        int dyOff, float[] bias) {
        double[] y = new double[n * g.outSize() + 4];
        double[] dx = new double[n * g.inSize() + 1];
        double[] dw = new double[g.weightSize() + 2];
        double[] db = new double[g.o() + 1];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < g.o(); o++) {
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++) {
                        int yi = b * g.outSize() + (o * g.oh() + i) * g.ow() + j;
                        double d = dy[dyOff + yi];
                        double s = bias[o];
                        db[1 + o] += d;
                        for (int c = 0; c < g.c(); c++) {
                            for (int u = 0; u < 3; u++) {
                                for (int v = 0; v < 3; v++) {
                                    int h = i - g.pt() + u;
                                    int q = j - g.pl() + v;
                                    if (h < 0 || h >= g.h() || q < 0 || q >= g.w()) {
                                        continue;
                                    }
                                    int xi = b * g.inSize() + (c * g.h() + h) * g.w() + q;
                                    int wi = ((o * g.c() + c) * 3 + u) * 3 + v;
                                    s += x[xOff + xi] * (double) w[wOff + wi];
                                    dx[1 + xi] += d * w[wOff + wi];
                                    dw[2 + wi] += d * x[xOff + xi];
                                }
                            }
                        }
                        y[4 + yi] = Math.max(0, s);
                    }
                }
            }
        }
        return new double[][] {y, dx, dw, db};
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * The transformed weights are kept between calls with unchanged weights: a change of the
     * last tap alone, in place, must reach the next forward and backward-data pass, and the
     * results must be those of a convolution seen for the first time.
     */
    @Test
    void aChangedWeightIsNeverServedFromTheTransformCache() {
        ConvGeom g = new ConvGeom(8, 10, 10, 16, 3, 3, 1, 1, 1, 1, 10, 10);
        int n = 3;
        float[] x = random(n * g.inSize(), 21);
        float[] dy = random(n * g.outSize(), 23);
        float[] w = random(g.weightSize() + 1, 22);
        List<Runner> runners = new ArrayList<>(Runners.CANDIDATES);
        runners.add(Runners.REFERENCE);
        for (Runner r : runners) {
            float[] before = passes(r, g, n, x, dy, w);
            assertClose(before, passes(r, g, n, x, dy, w), 0f, "unchanged weights, " + r);
            w[g.weightSize()] += 0.5f;  // the last tap (w starts at 1)
            float[] after = passes(r, g, n, x, dy, w);
            ConvGeom unseen = new ConvGeom(g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(), g.sh(), g.sw(), g.pt(), g.pl(),
                    g.oh(), g.ow());
            assertClose(passes(r, unseen, n, x, dy, w), after, 0f, "changed weights, " + r);
            assertFalse(java.util.Arrays.equals(before, after), "the change reached the results, " + r);
            w[g.weightSize()] -= 0.5f;
        }
    }

    /** Forward and backward data of the same weights, one after the other. */
    private static float[] passes(Runner r, ConvGeom g, int n, float[] x, float[] dy, float[] w) {
        float[] out = new float[n * g.outSize() + n * g.inSize()];
        r.k().conv2d(r.ex(), g, ConvAlgorithm.WINOGRAD, n, x, 0, w, 1, out, 0, Epilogue.NONE);
        r.k().conv2dBackwardData(r.ex(), g, ConvAlgorithm.WINOGRAD, n, dy, 0, w, 1, out, n * g.outSize(),
                Epilogue.NONE);
        return out;
    }

    @Test
    void winogradWeightGradientIsTheSameOnEveryRunWithTwoThreads() {
        ConvGeom g = new ConvGeom(8, 10, 10, 16, 3, 3, 1, 1, 1, 1, 10, 10);
        int n = 17;
        float[] x = random(n * g.inSize(), 4);
        float[] dy = random(n * g.outSize(), 5);
        float[] first = new float[g.weightSize() + g.o()];
        Runners.SIMD.conv2dBackwardWeights(Runners.TWO, g, ConvAlgorithm.WINOGRAD, n, dy, 0, x, 0, first, 0, first,
                g.weightSize());
        for (int run = 0; run < 5; run++) {
            float[] again = new float[first.length];
            Runners.SIMD.conv2dBackwardWeights(Runners.TWO, g, ConvAlgorithm.WINOGRAD, n, dy, 0, x, 0, again, 0, again,
                    g.weightSize());
            assertClose(first, again, 0f, "run " + run);
        }
    }

    @Test
    void theBiasGradientFoldedIntoTheGemmWeightGradientMatchesSumChannels() {
        ConvGeom g = new ConvGeom(3, 9, 8, 4, 3, 3, 2, 2, 1, 1, 5, 4);
        int n = 7;
        float[] x = random(n * g.inSize(), 6);
        float[] dy = random(n * g.outSize(), 7);
        float[] expected = new float[g.o()];
        Runners.SCALAR.sumChannels(Runners.ONE, dy, 0, n, g.o(), g.p(), expected, 0);
        float[] dwAlone = new float[g.weightSize()];
        Runners.SCALAR.conv2dBackwardWeights(Runners.ONE, g, n, dy, 0, x, 0, dwAlone, 0);
        for (Runner r : Runners.CANDIDATES) {
            float[] dw = new float[g.weightSize()];
            float[] db = new float[g.o()];
            r.k().conv2dBackwardWeights(r.ex(), g, ConvAlgorithm.GEMM, n, dy, 0, x, 0, dw, 0, db, 0);
            assertClose(expected, db, Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(n * g.p()), "db, " + r);
            assertClose(dwAlone, dw, Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(n * g.p()), "dw, " + r);
        }
    }

    @Test
    void winogradAppliesToThreeByThreeStrideOneOnly() {
        assertFalse(Winograd.applies(new ConvGeom(3, 9, 8, 4, 3, 3, 2, 2, 1, 1, 5, 4)));
        assertFalse(Winograd.applies(new ConvGeom(7, 5, 5, 3, 1, 1, 1, 1, 0, 0, 5, 5)));
        assertFalse(Winograd.applies(new ConvGeom(1, 9, 9, 1, 3, 3, 1, 1, 3, 3, 13, 13)));
        assertTrue(Winograd.applies(new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26)));
        assertEquals(new ConvGeom(64, 11, 11, 32, 3, 3, 1, 1, 2, 2, 13, 13),
                Winograd.dataGeometry(new ConvGeom(32, 13, 13, 64, 3, 3, 1, 1, 0, 0, 11, 11)));
    }
}
