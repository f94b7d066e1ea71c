package nnc.runtime.kernels;

import static nnc.runtime.kernels.KernelContractTest.assertClose;
import static nnc.runtime.kernels.KernelContractTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution, pooling and batch norm: each backend on one and two threads ({@link Runners})
 * against the scalar kernels on one thread.
 */
class SpatialContractTest {

    static Stream<ConvGeom> convs() {
        return Stream.of(
                new ConvGeom(1, 28, 28, 32, 3, 3, 1, 1, 0, 0, 26, 26),   // the tutorial's first layer
                new ConvGeom(32, 13, 13, 64, 3, 3, 1, 1, 0, 0, 11, 11),  // its second
                new ConvGeom(3, 9, 9, 5, 3, 3, 1, 1, 1, 1, 9, 9),        // same padding
                new ConvGeom(3, 9, 8, 4, 3, 3, 2, 2, 1, 1, 5, 4),        // stride 2, odd sizes
                new ConvGeom(7, 5, 5, 3, 1, 1, 1, 1, 0, 0, 5, 5),        // 1x1: no im2col
                new ConvGeom(2, 6, 7, 3, 2, 3, 2, 1, 0, 1, 3, 7),        // rectangular kernel and stride
                new ConvGeom(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convs")
    void convolutionForwardAndBackwardMatchScalar(ConvGeom g) {
        int n = 3;
        float[] x = random(n * g.inSize() + 2, 1);
        float[] w = random(g.weightSize() + 1, 2);
        float[] dy = random(n * g.outSize() + 3, 3);
        float tol = Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(g.k() + g.o() * g.kh() * g.kw() + g.p());

        float[] bias = random(g.o(), 9);
        float[][] e = conv(Runners.REFERENCE, g, n, x, w, dy, bias);
        String[] what = {"conv forward + bias + relu", "conv backward data", "conv backward weights"};
        float[] tols = {tol, tol, 2 * tol};
        for (Runner r : Runners.CANDIDATES) {
            float[][] a = conv(r, g, n, x, w, dy, bias);
            for (int i = 0; i < e.length; i++) {
                assertClose(e[i], a[i], tols[i], what[i] + " " + g + ", " + r);
            }
        }
    }

    /** Forward with a bias + ReLU epilogue, the data gradient and the weight gradient, at odd offsets. */
    private static float[][] conv(Runner r, ConvGeom g, int n, float[] x, float[] w, float[] dy, float[] bias) {
        float[] y = new float[n * g.outSize() + 4];
        float[] dx = new float[n * g.inSize() + 1];
        float[] dw = new float[g.weightSize() + 2];
        r.k().conv2d(r.ex(), g, n, x, 2, w, 1, y, 4, r.k().epilogue(4).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0).build());
        r.k().conv2dBackwardData(r.ex(), g, n, dy, 3, w, 1, dx, 1, Epilogue.NONE);
        r.k().conv2dBackwardWeights(r.ex(), g, n, dy, 3, x, 2, dw, 2);
        return new float[][] {y, dx, dw};
    }

    @Test
    void convolutionWeightGradientIsTheSameOnEveryRunWithTwoThreads() {
        ConvGeom g = new ConvGeom(8, 10, 10, 16, 3, 3, 1, 1, 1, 1, 10, 10);
        int n = 17;
        float[] x = random(n * g.inSize(), 4);
        float[] dy = random(n * g.outSize(), 5);
        float[] first = new float[g.weightSize()];
        Runners.SIMD.conv2dBackwardWeights(Runners.TWO, g, n, dy, 0, x, 0, first, 0);
        for (int run = 0; run < 5; run++) {
            float[] again = new float[g.weightSize()];
            Runners.SIMD.conv2dBackwardWeights(Runners.TWO, g, n, dy, 0, x, 0, again, 0);
            assertClose(first, again, 0f, "run " + run);
        }
    }

    static Stream<PoolGeom> pools() {
        return Stream.of(
                new PoolGeom(32, 26, 26, 2, 2, 2, 2, 0, 0, 13, 13),
                new PoolGeom(64, 11, 11, 2, 2, 2, 2, 0, 0, 5, 5),
                new PoolGeom(3, 7, 7, 3, 3, 2, 2, 1, 1, 4, 4),
                new PoolGeom(2, 5, 6, 5, 6, 1, 1, 0, 0, 1, 1),
                new PoolGeom(3, 40, 37, 2, 2, 2, 2, 0, 0, 20, 18),
                new PoolGeom(1, 3, 3, 2, 2, 2, 2, 0, 0, 1, 1),
                // Rows of exactly 8 and 16 outputs, and one past: the last vector of a row steps back.
                new PoolGeom(2, 16, 17, 2, 2, 2, 2, 0, 0, 8, 8),
                new PoolGeom(2, 18, 18, 2, 2, 2, 2, 0, 0, 9, 9),
                new PoolGeom(2, 33, 32, 2, 2, 2, 2, 0, 0, 16, 16),
                new PoolGeom(2, 34, 35, 2, 2, 2, 2, 0, 0, 17, 17));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void poolingForwardAndBackwardMatchScalar(PoolGeom g) {
        int n = 3;
        float[] x = random(n * g.inSize() + 1, 6);
        // Quantised and rectified, as after a ReLU: windows full of ties test first-max order.
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0f, Math.round(x[i] * 3) / 3f);
        }
        float[] dy = random(n * g.outSize(), 7);
        for (boolean max : new boolean[] {true, false}) {
            float[] ye = new float[n * g.outSize()];
            float[] dxe = new float[n * g.inSize()];
            pool(Runners.REFERENCE, max, g, n, x, dy, ye, dxe);
            for (Runner r : Runners.CANDIDATES) {
                float[] ya = new float[n * g.outSize()];
                float[] dxa = new float[n * g.inSize()];
                pool(r, max, g, n, x, dy, ya, dxa);
                assertClose(ye, ya, Tolerances.POINTWISE, (max ? "max" : "avg") + " pool " + g + ", " + r);
                assertClose(dxe, dxa, Tolerances.POINTWISE, (max ? "max" : "avg") + " pool backward " + g + ", " + r);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void poolingWritesNothingPastItsSamples(PoolGeom g) {
        // Short rows store whole vectors whose extra lanes a later store overwrites; past the
        // call's last sample nothing may be written (it belongs to another tensor or thread).
        int n = 2;
        int slack = 64;
        float[] x = random(n * g.inSize() + slack, 11);
        float[] dy = random(n * g.outSize() + slack, 12);
        for (boolean max : new boolean[] {true, false}) {
            for (Runner r : Runners.CANDIDATES) {
                float[] y = new float[n * g.outSize() + slack];
                float[] dx = new float[n * g.inSize() + slack];
                java.util.Arrays.fill(y, 7f);
                java.util.Arrays.fill(dx, 7f);
                pool(r, max, g, n, x, dy, y, dx);
                float[] ye = new float[n * g.outSize()];
                float[] dxe = new float[n * g.inSize()];
                pool(Runners.REFERENCE, max, g, n, x, dy, ye, dxe);
                String what = (max ? "max" : "avg") + " pool " + g + ", " + r;
                assertClose(ye, java.util.Arrays.copyOf(y, ye.length), Tolerances.POINTWISE, what);
                assertClose(dxe, java.util.Arrays.copyOf(dx, dxe.length), Tolerances.POINTWISE, what + " backward");
                for (int i = ye.length; i < y.length; i++) {
                    assertEquals(7f, y[i], what + ": wrote output " + i + " past its samples");
                }
                for (int i = dxe.length; i < dx.length; i++) {
                    assertEquals(7f, dx[i], what + " backward: wrote " + i + " past its samples");
                }
            }
        }
    }

    /**
     * Max-pooling backward and then the gradient of the activation that made x (a ReLU before
     * the pooling): the SIMD kernel takes that step over as it stores when x is its source; the
     * bits are those of the scalar kernels' separate pass, signed zeros included. With the
     * source a copy of x the step runs apart, with the same result; a step after it still runs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void poolingBackwardThroughAnActivationGradientMatchesScalarBitForBit(PoolGeom g) {
        int n = 3;
        float[] x = random(n * g.inSize() + 1, 13);
        // Ties, zeros of both signs and negative values (a leaky ReLU's outputs).
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 11 == 0 ? -0f : Math.round(x[i] * 3) / 3f;
        }
        float[] dy = random(n * g.outSize(), 14);
        for (Act act : new Act[] {Act.RELU, Act.LEAKY_RELU}) {
            for (float[] src : new float[][] {x, x.clone()}) {
                float[] expected = poolBackwardThrough(Runners.REFERENCE, act, g, n, x, src, dy);
                for (Runner r : Runners.CANDIDATES) {
                    assertArrayEquals(expected, poolBackwardThrough(r, act, g, n, x, src, dy),
                            "max pool backward + " + act + " gradient " + g + ", " + r + (src == x ? "" : ", copied source"));
                }
            }
        }
    }

    private static float[] poolBackwardThrough(Runner r, Act act, PoolGeom g, int n, float[] x, float[] src, float[] dy) {
        float[] dx = new float[n * g.inSize() + 2];
        Epilogue epi = r.k().epilogue(2).actGrad(act, 0.1f, src, 1).scale(0.5f).build();
        r.k().maxPoolBackward(r.ex(), g, n, dy, 0, x, 1, dx, 2, epi);
        return dx;
    }

    private static void pool(Runner r, boolean max, PoolGeom g, int n, float[] x, float[] dy, float[] y, float[] dx) {
        if (max) {
            r.k().maxPool(r.ex(), g, n, x, 1, y, 0, Epilogue.NONE);
            r.k().maxPoolBackward(r.ex(), g, n, dy, 0, x, 1, dx, 0, Epilogue.NONE);
        } else {
            r.k().avgPool(r.ex(), g, n, x, 1, y, 0, Epilogue.NONE);
            r.k().avgPoolBackward(r.ex(), g, n, dy, 0, dx, 0, Epilogue.NONE);
        }
    }

    @Test
    void batchNormMatchesScalarIn1dAnd2d() {
        for (int[] shape : new int[][] {{64, 10, 1}, {8, 5, 49}, {3, 32, 17}}) {
            int n = shape[0];
            int c = shape[1];
            int inner = shape[2];
            float[] x = random(n * c * inner, 8);
            float[] p = random(4 * c, 9);
            for (int i = 3 * c; i < 4 * c; i++) {
                p[i] = Math.abs(p[i]) + 0.5f;
            }
            float[] dy = random(x.length, 10);
            float[][] e = batchNorm(Runners.REFERENCE, n, c, inner, x, p, dy);
            String[] what = {"batchnorm", "running statistics", "batchnorm backward", "batchnorm gamma gradient",
                "channel sums", "batchnorm beta gradient", "gamma gradient alone", "beta gradient alone"};
            float[] tol = {1e-5f, 1e-6f, 1e-4f, 1e-4f, 1e-5f, 1e-5f, 1e-4f, 1e-5f};
            // The beta gradient of the fused pass is the sum of dy, as the bias-gradient kernel gives it.
            assertClose(e[4], e[5], 1e-5f, "beta gradient against the channel sums of dy " + n + "x" + c + "x" + inner);
            for (Runner r : Runners.CANDIDATES) {
                float[][] a = batchNorm(r, n, c, inner, x, p, dy);
                for (int i = 0; i < e.length; i++) {
                    assertClose(e[i], a[i], tol[i], what[i] + " " + n + "x" + c + "x" + inner + ", " + r);
                }
            }
            float[] ie = x.clone();
            float[] ia = x.clone();
            Runners.SCALAR.backendOf().elementwise().batchNorm(ie, 0, ie.length, 0, p, 0, c, 2 * c, 3 * c, 1e-5f, inner, c);
            Runners.SIMD.backendOf().elementwise().batchNorm(ia, 0, ia.length, 0, p, 0, c, 2 * c, 3 * c, 1e-5f, inner, c);
            assertClose(ie, ia, 1e-5f, "inference batch norm step");
        }
    }

    /**
     * A ReLU applied by the normalisation as it stores, and epilogue steps after it, give the
     * bits of the unfused passes (the same float operations), on every backend and thread count,
     * for planes wider and narrower than a vector and at an odd output offset.
     */
    @Test
    void batchNormEpilogueGivesTheUnfusedValues() {
        for (int[] shape : new int[][] {{64, 10, 1}, {8, 5, 49}, {3, 32, 17}}) {
            int n = shape[0];
            int c = shape[1];
            int inner = shape[2];
            float[] x = random(n * c * inner, 11);
            float[] p = random(4 * c, 12);
            for (int i = 3 * c; i < 4 * c; i++) {
                p[i] = Math.abs(p[i]) + 0.5f;
            }
            for (Runner r : Runners.CANDIDATES) {
                float[] plain = new float[x.length];
                r.k().batchNorm(r.ex(), n, c, inner, x, 0, p.clone(), 0, c, 2 * c, 3 * c, 1e-5f, 0.1f, plain, 0,
                        Epilogue.NONE);
                float[] expectRelu = plain.clone();
                r.k().backendOf().elementwise().act(Act.RELU, 0f, expectRelu, 0, expectRelu.length);
                float[] fused = new float[x.length + 3];
                float[] stored = new float[x.length];
                r.k().batchNorm(r.ex(), n, c, inner, x, 0, p.clone(), 0, c, 2 * c, 3 * c, 1e-5f, 0.1f, fused, 3,
                        r.k().epilogue(3).act(Act.RELU, 0f).store(stored, 0).scale(2f).build());
                String where = n + "x" + c + "x" + inner + ", " + r;
                assertClose(expectRelu, stored, 0f, "batchnorm + relu " + where);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(2f * expectRelu[i], fused[3 + i], "batchnorm + relu + scale at " + i + ", " + where);
                }
                float[] scaledFirst = new float[x.length];
                r.k().batchNorm(r.ex(), n, c, inner, x, 0, p.clone(), 0, c, 2 * c, 3 * c, 1e-5f, 0.1f, scaledFirst, 0,
                        r.k().epilogue(0).scale(-1f).act(Act.RELU, 0f).build());
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Math.max(-plain[i], 0f), scaledFirst[i], "batchnorm + scale + relu at " + i + ", " + where);
                }
            }
        }
    }

    /**
     * Forward (y, running statistics), backward in one pass (dx, dgamma, dbeta), the channel sums
     * of {@code dy}, and the two parameter gradients without dx (they must not differ).
     */
    private static float[][] batchNorm(Runner r, int n, int c, int inner, float[] x, float[] p, float[] dy) {
        float[] ps = p.clone();
        float[] y = new float[x.length];
        r.k().batchNorm(r.ex(), n, c, inner, x, 0, ps, 0, c, 2 * c, 3 * c, 1e-5f, 0.1f, y, 0, Epilogue.NONE);
        float[] dx = new float[x.length];
        float[] dg = new float[c];
        float[] db = new float[c];
        r.k().batchNormBackward(r.ex(), n, c, inner, dy, 0, x, 0, p, 0, 1e-5f, dx, 0, dg, 0, db, 0);
        float[] sums = new float[c];
        r.k().sumChannels(r.ex(), dy, 0, n, c, inner, sums, 0);
        float[] dgAlone = new float[c];
        float[] dbAlone = new float[c];
        r.k().batchNormBackward(r.ex(), n, c, inner, dy, 0, x, 0, p, 0, 1e-5f, null, 0, dgAlone, 0, dbAlone, 0);
        assertClose(dg, dgAlone, 0f, "gamma gradient with and without dx, " + r);
        assertClose(db, dbAlone, 0f, "beta gradient with and without dx, " + r);
        return new float[][] {y, ps, dx, dg, sums, db, dgAlone, dbAlone};
    }
}
