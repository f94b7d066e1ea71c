package nnc.runtime.kernels;

import static nnc.runtime.kernels.KernelContractTest.assertClose;
import static nnc.runtime.kernels.KernelContractTest.random;

import java.util.stream.Stream;
import nnc.runtime.exec.Exec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Convolution, pooling and batch norm: the SIMD backend against the scalar twin. */
class SpatialContractTest {
    private static final Kernels SIMD = new Kernels(Backend.simd());
    private static final Kernels SCALAR = new Kernels(Backend.SCALAR);
    private static final Exec ONE = Exec.sequential();
    private static final Exec TWO = Exec.threads(2);

    @AfterAll
    static void close() {
        TWO.close();
    }

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

        float[] ye = new float[n * g.outSize() + 4];
        float[] ya = new float[n * g.outSize() + 4];
        float[] bias = random(g.o(), 9);
        Epilogue es = SCALAR.epilogue(4).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0).build();
        Epilogue ea = SIMD.epilogue(4).bias(bias, 0, g.p(), g.o()).act(Act.RELU, 0).build();
        SCALAR.conv2d(ONE, g, n, x, 2, w, 1, ye, 4, es);
        SIMD.conv2d(TWO, g, n, x, 2, w, 1, ya, 4, ea);
        assertClose(ye, ya, tol, "conv forward + bias + relu " + g);

        float[] dxe = new float[n * g.inSize() + 1];
        float[] dxa = new float[n * g.inSize() + 1];
        SCALAR.conv2dBackwardData(ONE, g, n, dy, 3, w, 1, dxe, 1, Epilogue.NONE);
        SIMD.conv2dBackwardData(TWO, g, n, dy, 3, w, 1, dxa, 1, Epilogue.NONE);
        assertClose(dxe, dxa, tol, "conv backward data " + g);

        float[] dwe = new float[g.weightSize() + 2];
        float[] dwa = new float[g.weightSize() + 2];
        SCALAR.conv2dBackwardWeights(ONE, g, n, dy, 3, x, 2, dwe, 2);
        SIMD.conv2dBackwardWeights(TWO, g, n, dy, 3, x, 2, dwa, 2);
        assertClose(dwe, dwa, tol * 2, "conv backward weights " + g);
    }

    @Test
    void convolutionWeightGradientIsTheSameOnEveryRunWithTwoThreads() {
        ConvGeom g = new ConvGeom(8, 10, 10, 16, 3, 3, 1, 1, 1, 1, 10, 10);
        int n = 17;
        float[] x = random(n * g.inSize(), 4);
        float[] dy = random(n * g.outSize(), 5);
        float[] first = new float[g.weightSize()];
        SIMD.conv2dBackwardWeights(TWO, g, n, dy, 0, x, 0, first, 0);
        for (int run = 0; run < 5; run++) {
            float[] again = new float[g.weightSize()];
            SIMD.conv2dBackwardWeights(TWO, g, n, dy, 0, x, 0, again, 0);
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
                new PoolGeom(1, 3, 3, 2, 2, 2, 2, 0, 0, 1, 1));
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
            float[] ya = new float[n * g.outSize()];
            float[] dxe = new float[n * g.inSize()];
            float[] dxa = new float[n * g.inSize()];
            if (max) {
                SCALAR.maxPool(ONE, g, n, x, 1, ye, 0, Epilogue.NONE);
                SIMD.maxPool(TWO, g, n, x, 1, ya, 0, Epilogue.NONE);
                SCALAR.maxPoolBackward(ONE, g, n, dy, 0, x, 1, dxe, 0, Epilogue.NONE);
                SIMD.maxPoolBackward(TWO, g, n, dy, 0, x, 1, dxa, 0, Epilogue.NONE);
            } else {
                SCALAR.avgPool(ONE, g, n, x, 1, ye, 0, Epilogue.NONE);
                SIMD.avgPool(TWO, g, n, x, 1, ya, 0, Epilogue.NONE);
                SCALAR.avgPoolBackward(ONE, g, n, dy, 0, dxe, 0, Epilogue.NONE);
                SIMD.avgPoolBackward(TWO, g, n, dy, 0, dxa, 0, Epilogue.NONE);
            }
            assertClose(ye, ya, Tolerances.POINTWISE, (max ? "max" : "avg") + " pool " + g);
            assertClose(dxe, dxa, Tolerances.POINTWISE, (max ? "max" : "avg") + " pool backward " + g);
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
            float[] pe = p.clone();
            float[] pa = p.clone();
            float[] ye = new float[x.length];
            float[] ya = new float[x.length];
            SCALAR.batchNorm(ONE, n, c, inner, x, 0, pe, 0, c, 2 * c, 3 * c, 1e-5f, 0.1f, ye, 0);
            SIMD.batchNorm(TWO, n, c, inner, x, 0, pa, 0, c, 2 * c, 3 * c, 1e-5f, 0.1f, ya, 0);
            assertClose(ye, ya, 1e-5f, "batchnorm " + n + "x" + c + "x" + inner);
            assertClose(pe, pa, 1e-6f, "running statistics");
            float[] dy = random(x.length, 10);
            float[] dxe = new float[x.length];
            float[] dxa = new float[x.length];
            float[] dge = new float[c];
            float[] dga = new float[c];
            SCALAR.batchNormBackward(ONE, n, c, inner, dy, 0, x, 0, p, 0, 1e-5f, dxe, 0, dge, 0);
            SIMD.batchNormBackward(TWO, n, c, inner, dy, 0, x, 0, p, 0, 1e-5f, dxa, 0, dga, 0);
            assertClose(dxe, dxa, 1e-4f, "batchnorm backward");
            assertClose(dge, dga, 1e-4f, "batchnorm gamma gradient");
            float[] se = new float[c];
            float[] sa = new float[c];
            SCALAR.sumChannels(ONE, dy, 0, n, c, inner, se, 0);
            SIMD.sumChannels(TWO, dy, 0, n, c, inner, sa, 0);
            assertClose(se, sa, 1e-5f, "channel sums");
            float[] ie = x.clone();
            float[] ia = x.clone();
            SCALAR.backendOf().elementwise().batchNorm(ie, 0, ie.length, 0, p, 0, c, 2 * c, 3 * c, 1e-5f, inner, c);
            SIMD.backendOf().elementwise().batchNorm(ia, 0, ia.length, 0, p, 0, c, 2 * c, 3 * c, 1e-5f, inner, c);
            assertClose(ie, ia, 1e-5f, "inference batch norm step");
        }
    }
}
