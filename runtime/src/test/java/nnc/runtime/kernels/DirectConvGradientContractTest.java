package nnc.runtime.kernels;

import static nnc.runtime.kernels.KernelContractTest.assertClose;
import static nnc.runtime.kernels.KernelContractTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weight and bias gradient of the direct convolution ({@link DirectConv#backwardWeights}),
 * every backend on one and two threads: against the sums in double precision, the SIMD kernel
 * against its scalar twin and against im2col + GEMM, the same bits on every run with a thread
 * count, and nothing written outside {@code dw} and {@code db}.
 */
class DirectConvGradientContractTest {
    private static final float GUARD = 12345.5f;
    private static final int LEAD = 3;
    private static final int TRAIL = 5;

    /** The forward suite's shapes, plus planes of exactly one vector, of one and of two. */
    static Stream<ConvGeom> geometries() {
        return Stream.concat(DirectConvContractTest.geometries(), Stream.of(
                new ConvGeom(1, 6, 6, 3, 3, 3, 1, 1, 0, 0, 4, 4),        // 16 positions: whole vectors
                new ConvGeom(2, 3, 10, 5, 3, 3, 1, 1, 0, 0, 1, 8),       // 8 positions
                new ConvGeom(1, 4, 4, 2, 4, 4, 1, 1, 1, 1, 3, 3)));      // 9 positions, a 4x4 kernel
    }

    /** Tolerance of a sum of {@code terms} products, relative to max(1, |sum|). */
    private static float tolerance(int terms) {
        return Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(terms);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void directGradientMatchesTheDoubleReferenceAndItsTwin(ConvGeom g) {
        assertTrue(ConvAlgorithm.DIRECT.applies(g, ConvAlgorithm.Pass.WEIGHTS), g + " should run direct");
        for (int n : new int[] {1, 3}) {
            float[] x = random(n * g.inSize() + 2, 61);
            float[] dy = random(n * g.outSize() + 3, 62);
            float[] e = DirectConvContractTest.floats(reference(g, n, dy, 3, x, 2));
            float tol = tolerance(n * g.p());
            float[] twin = gradients(Runners.REFERENCE, g, ConvAlgorithm.DIRECT, n, dy, x);
            assertClose(e, twin, tol, "scalar direct against double, n " + n + ", " + g);
            for (Runner r : Runners.CANDIDATES) {
                float[] got = gradients(r, g, ConvAlgorithm.DIRECT, n, dy, x);
                assertClose(e, got, tol, "against double, n " + n + ", " + g + ", " + r);
                assertClose(twin, got, 2 * tol, "against the scalar twin, n " + n + ", " + g + ", " + r);
            }
        }
    }

    /** Batch 64 of the tutorial's first layer: the same results as im2col + GEMM, both backends. */
    @Test
    void directGradientGivesWhatTheGemmPathGives() {
        ConvGeom g = new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26);
        int n = 64;
        float[] x = random(n * g.inSize() + 2, 71);
        float[] dy = random(n * g.outSize() + 3, 72);
        List<Runner> runners = new ArrayList<>(Runners.CANDIDATES);
        runners.add(Runners.REFERENCE);
        for (Runner r : runners) {
            float[] gemm = gradients(r, g, ConvAlgorithm.GEMM, n, dy, x);
            float[] direct = gradients(r, g, ConvAlgorithm.DIRECT, n, dy, x);
            assertClose(gemm, direct, 2 * tolerance(n * g.p()), "direct against gemm, " + r);
        }
    }

    /** The pieces are fixed by the batch and thread count: every run gives the same bits. */
    @Test
    void directGradientIsTheSameOnEveryRunWithAThreadCount() {
        ConvGeom g = new ConvGeom(3, 12, 12, 9, 3, 3, 1, 1, 1, 1, 12, 12);
        int n = 17;
        float[] x = random(n * g.inSize() + 2, 81);
        float[] dy = random(n * g.outSize() + 3, 82);
        for (Runner r : Runners.CANDIDATES) {
            float[] first = gradients(r, g, ConvAlgorithm.DIRECT, n, dy, x);
            for (int run = 0; run < 4; run++) {
                assertClose(first, gradients(r, g, ConvAlgorithm.DIRECT, n, dy, x), 0f, "run " + run + ", " + r);
            }
        }
    }

    /** Without a bias gradient the weights come out the same and nothing else is written. */
    @Test
    void withoutBiasTheWeightsAreTheSame() {
        ConvGeom g = new ConvGeom(3, 9, 7, 5, 3, 3, 1, 1, 1, 1, 9, 7);
        int n = 4;
        float[] x = random(n * g.inSize(), 91);
        float[] dy = random(n * g.outSize(), 92);
        for (Runner r : Runners.CANDIDATES) {
            float[] both = new float[g.weightSize() + g.o()];
            r.k().conv2dBackwardWeights(r.ex(), g, ConvAlgorithm.DIRECT, n, dy, 0, x, 0, both, 0, both, g.weightSize());
            float[] dw = new float[g.weightSize() + 1];
            dw[g.weightSize()] = GUARD;
            r.k().conv2dBackwardWeights(r.ex(), g, ConvAlgorithm.DIRECT, n, dy, 0, x, 0, dw, 0, null, 0);
            assertClose(Arrays.copyOf(both, g.weightSize()), Arrays.copyOf(dw, g.weightSize()), 0f, "dw, " + r);
            assertEquals(GUARD, dw[g.weightSize()], "written past dw, " + r);
        }
    }

    /**
     * dw (at {@link #LEAD}) then db, between guards, from dy at offset 3 and x at 2, by
     * algorithm {@code a}; the guards must survive.
     */
    private static float[] gradients(Runner r, ConvGeom g, ConvAlgorithm a, int n, float[] dy, float[] x) {
        float[] out = new float[LEAD + g.weightSize() + g.o() + TRAIL];
        Arrays.fill(out, GUARD);
        r.k().conv2dBackwardWeights(r.ex(), g, a, n, dy, 3, x, 2, out, LEAD, out, LEAD + g.weightSize());
        for (int i = 0; i < LEAD; i++) {
            assertEquals(GUARD, out[i], "written before dw at " + i + ", " + g + ", " + r);
        }
        for (int i = LEAD + g.weightSize() + g.o(); i < out.length; i++) {
            assertEquals(GUARD, out[i], "written past db at " + i + ", " + g + ", " + r);
        }
        return out;
    }

    /** dw and db in double, laid out like {@link #gradients}'s result. */
    private static double[] reference(ConvGeom g, int n, float[] dy, int dyOff, float[] x, int xOff) {
        double[] out = new double[LEAD + g.weightSize() + g.o() + TRAIL];
        Arrays.fill(out, GUARD);
        Arrays.fill(out, LEAD, LEAD + g.weightSize() + g.o(), 0);
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < g.o(); o++) {
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++) {
                        double d = dy[dyOff + b * g.outSize() + (o * g.oh() + i) * g.ow() + j];
                        out[LEAD + g.weightSize() + o] += d;
                        for (int c = 0; c < g.c(); c++) {
                            for (int u = 0; u < g.kh(); u++) {
                                for (int v = 0; v < g.kw(); v++) {
                                    int h = i - g.pt() + u;
                                    int q = j - g.pl() + v;
                                    if (h >= 0 && h < g.h() && q >= 0 && q < g.w()) {
                                        out[LEAD + ((o * g.c() + c) * g.kh() + u) * g.kw() + v] +=
                                                d * x[xOff + b * g.inSize() + (c * g.h() + h) * g.w() + q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
