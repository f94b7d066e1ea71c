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
import java.util.stream.Stream;
import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct convolution ({@link DirectConv}), every backend on one and two threads: against
 * convolution in double precision, bit for bit against its scalar twin (same fused multiply-adds
 * in the same order), with every kind of epilogue against the im2col + GEMM path, one sample
 * alone against the same sample inside a batch, and never writing outside its output.
 */
class DirectConvContractTest {
    /** Guard value around the output: must survive every call. */
    private static final float GUARD = 12345.5f;
    private static final int LEAD = 4;
    private static final int TRAIL = 40;

    static Stream<ConvGeom> geometries() {
        return Stream.of(
                new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26),   // the tutorial's first layer
                new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 28, 28),   // the batch-norm CNN's first, same
                new ConvGeom(3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 32, 32),   // an RGB image, same padding
                new ConvGeom(3, 9, 7, 5, 3, 3, 1, 1, 1, 1, 9, 7),        // narrower than a vector, O % 4 = 1
                new ConvGeom(2, 6, 19, 6, 3, 3, 1, 1, 0, 0, 4, 17),      // an odd width past two vectors
                new ConvGeom(1, 5, 11, 3, 3, 3, 1, 1, 2, 0, 7, 9),       // asymmetric padding, O < 4
                new ConvGeom(1, 12, 12, 7, 5, 5, 1, 1, 2, 2, 12, 12),    // a 5x5 kernel
                new ConvGeom(3, 8, 40, 9, 1, 3, 1, 1, 0, 1, 8, 40),      // a 1x3 kernel, five vectors of 8
                new ConvGeom(1, 10, 9, 4, 3, 3, 1, 1, 0, 0, 8, 7),       // valid, short rows
                new ConvGeom(1, 3, 3, 1, 3, 3, 1, 1, 0, 0, 1, 1));       // one output
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void directMatchesTheDoubleReferenceAndItsTwinExactly(ConvGeom g) {
        assertTrue(ConvAlgorithm.DIRECT.applies(g), g + " should run direct");
        for (int n : new int[] {1, 3}) {
            float[] x = random(n * g.inSize() + 2, 31);
            float[] w = random(g.weightSize() + 1, 32);
            float[] bias = random(g.o(), 33);
            double[] e = reference(g, n, x, 2, w, 1, bias);
            float[] twin = forward(Runners.REFERENCE, g, n, x, w, k -> k.epilogue(LEAD).bias(bias, 0, g.p(), g.o())
                    .act(Act.RELU, 0).build());
            float tol = Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(g.k());
            assertClose(floats(e), twin, tol, "scalar direct against double, n " + n + ", " + g);
            for (Runner r : Runners.CANDIDATES) {
                float[] y = forward(r, g, n, x, w, k -> k.epilogue(LEAD).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0)
                        .build());
                assertClose(twin, y, 0f, "against the scalar twin, n " + n + ", " + g + ", " + r);
            }
        }
    }

    /**
     * Epilogues the kernel folds (bias, ReLU, both, none), one it folds in part (bias, then batch
     * norm and ReLU on the stored planes) and a bias it must not fold (bound to an output that
     * starts half a sample later): the same results as im2col + GEMM with that epilogue.
     */
    @Test
    void everyEpilogueGivesWhatTheGemmPathGives() {
        ConvGeom g = new ConvGeom(3, 11, 13, 6, 3, 3, 1, 1, 1, 1, 11, 13);
        int n = 2;
        float[] x = random(n * g.inSize() + 2, 41);
        float[] w = random(g.weightSize() + 1, 42);
        float[] bias = random(g.o(), 43);
        float[] bn = random(4 * g.o(), 44);
        for (int c = 0; c < g.o(); c++) {
            bn[3 * g.o() + c] = Math.abs(bn[3 * g.o() + c]) + 0.5f;  // a positive running variance
        }
        List<Function<Kernels, Epilogue>> epilogues = List.of(
                k -> Epilogue.NONE,
                k -> k.epilogue(LEAD).bias(bias, 0, g.p(), g.o()).build(),
                k -> k.epilogue(LEAD).act(Act.RELU, 0).build(),
                k -> k.epilogue(LEAD).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0).build(),
                k -> k.epilogue(LEAD).bias(bias, 0, g.p(), g.o())
                        .batchNorm(bn, 0, g.o(), 2 * g.o(), 3 * g.o(), 1e-5f, g.p(), g.o()).act(Act.RELU, 0).build(),
                k -> k.epilogue(LEAD).act(Act.TANH, 0).scale(0.5f).build(),
                k -> k.epilogue(LEAD - g.p() / 2).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0).build());
        float tol = 2 * Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(g.k());
        for (int i = 0; i < epilogues.size(); i++) {
            Function<Kernels, Epilogue> epi = epilogues.get(i);
            List<Runner> runners = new ArrayList<>(Runners.CANDIDATES);
            runners.add(Runners.REFERENCE);
            for (Runner r : runners) {
                float[] gemm = forward(r, g, ConvAlgorithm.GEMM, n, x, w, epi);
                float[] direct = forward(r, g, n, x, w, epi);
                assertClose(gemm, direct, tol, "epilogue " + i + " " + epi.apply(r.k()) + ", " + r);
            }
        }
    }

    /** A sample's outputs have the same bits alone as at every place in batches of several sizes. */
    @Test
    void aSampleHasTheSameBitsAloneAndInABatch() {
        ConvGeom g = new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26);
        int n = 7;
        float[] x = random(n * g.inSize(), 51);
        float[] w = random(g.weightSize(), 52);
        float[] bias = random(g.o(), 53);
        Kernels k = Runners.SIMD;
        for (var ex : List.of(Runners.ONE, Runners.TWO)) {
            float[] batch = new float[n * g.outSize()];
            k.conv2d(ex, g, ConvAlgorithm.DIRECT, n, x, 0, w, 0, batch, 0,
                    k.epilogue(0).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0).build());
            for (int s = 0; s < n; s++) {
                float[] one = new float[g.outSize()];
                float[] xs = Arrays.copyOfRange(x, s * g.inSize(), (s + 1) * g.inSize());
                k.conv2d(Runners.ONE, g, ConvAlgorithm.DIRECT, 1, xs, 0, w, 0, one, 0,
                        k.epilogue(0).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0).build());
                float[] inBatch = Arrays.copyOfRange(batch, s * g.outSize(), (s + 1) * g.outSize());
                for (int i = 0; i < one.length; i++) {
                    assertEquals(Float.floatToRawIntBits(one[i]), Float.floatToRawIntBits(inBatch[i]),
                            "sample " + s + " element " + i);
                }
            }
        }
    }

    @Test
    void theCostModelPicksDirectForFewInputsPerOutputButNotForBackwardData() {
        ConvGeom conv1 = new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26);
        ConvGeom rgb = new ConvGeom(3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 32, 32);
        ConvGeom conv2 = new ConvGeom(32, 13, 13, 64, 3, 3, 1, 1, 0, 0, 11, 11);
        ConvGeom strided = new ConvGeom(1, 28, 28, 32, 3, 3, 2, 2, 0, 0, 13, 13);
        assertEquals(ConvAlgorithm.DIRECT, ConvCost.choose(conv1, ConvAlgorithm.Pass.FORWARD));
        assertEquals(ConvAlgorithm.DIRECT, ConvCost.choose(rgb, ConvAlgorithm.Pass.FORWARD));
        assertEquals(ConvAlgorithm.GEMM, ConvCost.choose(conv1, ConvAlgorithm.Pass.DATA));
        assertEquals(ConvAlgorithm.WINOGRAD, ConvCost.choose(conv2, ConvAlgorithm.Pass.FORWARD));
        assertEquals(ConvAlgorithm.GEMM, ConvCost.choose(strided, ConvAlgorithm.Pass.FORWARD));
        assertEquals(ConvAlgorithm.DIRECT, ConvCost.choose(conv1, ConvAlgorithm.Pass.WEIGHTS));
        assertEquals(ConvAlgorithm.DIRECT, ConvCost.choose(rgb, ConvAlgorithm.Pass.WEIGHTS));
        assertEquals(ConvAlgorithm.WINOGRAD, ConvCost.choose(conv2, ConvAlgorithm.Pass.WEIGHTS));
        assertEquals(ConvAlgorithm.GEMM, ConvCost.choose(strided, ConvAlgorithm.Pass.WEIGHTS));
        assertFalse(ConvAlgorithm.DIRECT.applies(conv1, ConvAlgorithm.Pass.DATA));
        assertTrue(ConvAlgorithm.DIRECT.applies(conv1, ConvAlgorithm.Pass.WEIGHTS));
        ConvGeom narrow = new ConvGeom(8, 16, 16, 4, 3, 3, 1, 1, 1, 1, 16, 16);  // Winograd wants 8 out
        ConvGeom wide = new ConvGeom(9, 16, 16, 4, 3, 3, 1, 1, 1, 1, 16, 16);    // 81 terms per output
        ConvGeom pointwise = new ConvGeom(3, 8, 8, 16, 1, 1, 1, 1, 0, 0, 8, 8);
        assertEquals(ConvAlgorithm.DIRECT, ConvCost.choose(narrow, ConvAlgorithm.Pass.FORWARD));
        assertEquals(ConvAlgorithm.GEMM, ConvCost.choose(wide, ConvAlgorithm.Pass.FORWARD));
        assertEquals(ConvAlgorithm.GEMM, ConvCost.choose(pointwise, ConvAlgorithm.Pass.FORWARD));
        assertEquals(ConvAlgorithm.DIRECT, ConvCost.choose(narrow, ConvAlgorithm.Pass.WEIGHTS));
        assertEquals(ConvAlgorithm.GEMM, ConvCost.choose(narrow, ConvAlgorithm.Pass.DATA));
    }

    /** The forward by {@code a}, x at offset 2 and w at 1, into y at {@link #LEAD} between guards. */
    private static float[] forward(Runner r, ConvGeom g, ConvAlgorithm a, int n, float[] x, float[] w,
                                   Function<Kernels, Epilogue> epi) {
        float[] y = new float[LEAD + n * g.outSize() + TRAIL];
        Arrays.fill(y, GUARD);
        r.k().conv2d(r.ex(), g, a, n, x, 2, w, 1, y, LEAD, epi.apply(r.k()));
        for (int i = 0; i < LEAD; i++) {
            assertEquals(GUARD, y[i], "written before the output at " + i + ", " + g + ", " + r);
        }
        for (int i = LEAD + n * g.outSize(); i < y.length; i++) {
            assertEquals(GUARD, y[i], "written past the output at " + i + ", " + g + ", " + r);
        }
        return y;
    }

    private static float[] forward(Runner r, ConvGeom g, int n, float[] x, float[] w, Function<Kernels, Epilogue> epi) {
        return forward(r, g, ConvAlgorithm.DIRECT, n, x, w, epi);
    }

    /** relu(conv(x, w) + bias) in double, laid out like {@link #forward}'s result. */
    private static double[] reference(ConvGeom g, int n, float[] x, int xOff, float[] w, int wOff, float[] bias) {
        double[] y = new double[LEAD + n * g.outSize() + TRAIL];
        Arrays.fill(y, GUARD);
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < g.o(); o++) {
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++) {
                        double s = 0;
                        for (int c = 0; c < g.c(); c++) {
                            for (int u = 0; u < g.kh(); u++) {
                                for (int v = 0; v < g.kw(); v++) {
                                    int h = i - g.pt() + u;
                                    int q = j - g.pl() + v;
                                    if (h >= 0 && h < g.h() && q >= 0 && q < g.w()) {
                                        s += x[xOff + b * g.inSize() + (c * g.h() + h) * g.w() + q]
                                                * (double) w[wOff + ((o * g.c() + c) * g.kh() + u) * g.kw() + v];
                                    }
                                }
                            }
                        }
                        y[LEAD + b * g.outSize() + (o * g.oh() + i) * g.ow() + j] = Math.max(0, s + bias[o]);
                    }
                }
            }
        }
        return y;
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
