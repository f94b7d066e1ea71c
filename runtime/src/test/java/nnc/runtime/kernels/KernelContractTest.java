package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import nnc.runtime.exec.Exec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every backend meets: the SIMD kernels against their scalar twins, on shapes
 * chosen to hit tails and edge panels (1, primes, one past a vector, one past a panel).
 */
class KernelContractTest {
    private static final Kernels SIMD = new Kernels(Backend.simd());
    private static final Kernels SCALAR = new Kernels(Backend.SCALAR);
    private static final Exec ONE = Exec.sequential();
    private static final Exec TWO = Exec.threads(2);

    @AfterAll
    static void close() {
        TWO.close();
    }

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            assertTrue(Math.abs(e - a) <= tol * Math.max(1f, Math.abs(e)) || (Float.isNaN(e) && Float.isNaN(a)),
                    what + " at " + i + ": scalar " + e + ", simd " + a);
        }
    }

    // ---- GEMM ----

    static Stream<Arguments> gemmShapes() {
        int[][] shapes = {{1, 1, 1}, {1, 17, 3}, {7, 1, 5}, {8, 32, 1}, {9, 33, 17}, {13, 47, 31}, {64, 256, 100},
            {145, 97, 260}, {3, 300, 513}, {31, 3073, 7}, {300, 70, 300}, {601, 33, 513}, {290, 3100, 20}};
        return Stream.of(shapes).flatMap(s -> Stream.of("NN", "NT", "TN", "TT")
                .map(l -> Arguments.of(s[0], s[1], s[2], l)));
    }

    @ParameterizedTest(name = "gemm {3} {0}x{1}x{2}")
    @MethodSource("gemmShapes")
    void gemmMatchesScalar(int m, int n, int k, String layout) {
        boolean ta = layout.charAt(0) == 'T';
        boolean tb = layout.charAt(1) == 'T';
        int pad = 3; // operands start at an offset, and rows have slack (lda > width)
        int lda = (ta ? m : k) + 2;
        int ldb = (tb ? k : n) + 1;
        int ldc = n + 5;
        float[] a = random(pad + (ta ? k : m) * lda, 1);
        float[] b = random(pad + (tb ? n : k) * ldb, 2);
        float[] c0 = random(pad + m * ldc, 3);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] expected = c0.clone();
            float[] actual = c0.clone();
            float[] actual2 = c0.clone();
            SCALAR.gemm(ONE, ta, tb, m, n, k, a, pad, lda, b, pad, ldb, expected, pad, ldc, accumulate, Epilogue.NONE);
            SIMD.gemm(ONE, ta, tb, m, n, k, a, pad, lda, b, pad, ldb, actual, pad, ldc, accumulate, Epilogue.NONE);
            SIMD.gemm(TWO, ta, tb, m, n, k, a, pad, lda, b, pad, ldb, actual2, pad, ldc, accumulate, Epilogue.NONE);
            float tol = Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(k + 1);
            assertClose(expected, actual, tol, "gemm " + layout + " one thread, accumulate " + accumulate);
            assertClose(expected, actual2, tol, "gemm " + layout + " two threads, accumulate " + accumulate);
            for (int i = 0; i < pad; i++) {
                assertEquals(c0[i], actual[i], "gemm wrote before C");
            }
        }
    }

    @Test
    void gemmIsTheSameOnOneAndTwoThreads() {
        int m = 70;
        int n = 300;
        int k = 513;
        float[] a = random(m * k, 4);
        float[] b = random(k * n, 5);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        SIMD.gemm(ONE, false, false, m, n, k, a, 0, k, b, 0, n, c1, 0, n, false, Epilogue.NONE);
        SIMD.gemm(TWO, false, false, m, n, k, a, 0, k, b, 0, n, c2, 0, n, false, Epilogue.NONE);
        assertClose(c1, c2, 0f, "bit-for-bit across thread counts");
    }

    @Test
    void gemmEpilogueMatchesScalar() {
        int m = 37;
        int n = 53;
        int k = 29;
        float[] a = random(m * k, 6);
        float[] b = random(n * k, 7);
        float[] bias = random(n, 8);
        float[] residual = random(m * n, 9);
        StepKey key = new StepKey();
        key.set(77);
        float[] expected = new float[m * n];
        float[] actual = new float[m * n];
        float[] storedE = new float[m * n];
        float[] storedA = new float[m * n];
        Epilogue e1 = SCALAR.epilogue(0).bias(bias, 0, 1, n).add(residual, 0).act(Act.RELU, 0).store(storedE, 0)
                .dropout(0.25f, key, 5).build();
        Epilogue e2 = SIMD.epilogue(0).bias(bias, 0, 1, n).add(residual, 0).act(Act.RELU, 0).store(storedA, 0)
                .dropout(0.25f, key, 5).build();
        SCALAR.gemm(ONE, false, true, m, n, k, a, 0, k, b, 0, k, expected, 0, n, false, e1);
        SIMD.gemm(TWO, false, true, m, n, k, a, 0, k, b, 0, k, actual, 0, n, false, e2);
        float tol = Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(k);
        assertClose(expected, actual, tol, "gemm + bias + add + relu + dropout");
        assertClose(storedE, storedA, tol, "stored intermediate");
    }

    // ---- pointwise ----

    static Stream<Integer> lengths() {
        return Stream.of(1, 7, 15, 16, 17, 31, 64, 100, 1000, 8193, 20011);
    }

    @ParameterizedTest(name = "activation {0}")
    @EnumSource(Act.class)
    void activationsAndGradientsMatchScalar(Act act) {
        for (int len : lengths().toList()) {
            float[] x = random(len + 2, len);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 6;
            }
            float[] e = x.clone();
            float[] a = x.clone();
            SCALAR.backendOf().elementwise().act(act, 0.1f, e, 1, len);
            SIMD.backendOf().elementwise().act(act, 0.1f, a, 1, len);
            float tol = act == Act.RELU || act == Act.LEAKY_RELU || act == Act.IDENTITY
                    ? Tolerances.POINTWISE : Tolerances.TRANSCENDENTAL;
            assertClose(e, a, tol, act + " forward, length " + len);
            float[] g = random(len + 2, len + 1);
            float[] ge = g.clone();
            float[] ga = g.clone();
            float[] s = act.gradFromInput() ? x : e;
            SCALAR.backendOf().elementwise().actGrad(act, 0.1f, ge, 1, len, s, 1);
            SIMD.backendOf().elementwise().actGrad(act, 0.1f, ga, 1, len, s, 1);
            assertClose(ge, ga, tol * 4, act + " gradient, length " + len);
        }
    }

    @Test
    void biasAddAddScaleAndDropoutMatchScalar() {
        Elementwise se = SCALAR.backendOf().elementwise();
        Elementwise ve = SIMD.backendOf().elementwise();
        for (int len : lengths().toList()) {
            float[] b = random(13, 1);
            float[] s = random(len + 3, 2);
            float[] x = random(len + 3, 3);
            for (int[] ic : new int[][] {{1, 13}, {5, 13}, {len, 1}, {49, 3}}) {
                float[] e = x.clone();
                float[] a = x.clone();
                se.bias(e, 2, len, 11, b, 0, ic[0], ic[1]);
                ve.bias(a, 2, len, 11, b, 0, ic[0], ic[1]);
                assertClose(e, a, 0f, "bias inner " + ic[0] + " channels " + ic[1] + " length " + len);
            }
            float[] e = x.clone();
            float[] a = x.clone();
            se.add(e, 1, len, s, 2);
            ve.add(a, 1, len, s, 2);
            se.scale(e, 1, len, 0.37f);
            ve.scale(a, 1, len, 0.37f);
            se.dropout(e, 1, len, 1000, 42, DropoutMask.threshold(0.3f), 1 / 0.7f);
            ve.dropout(a, 1, len, 1000, 42, DropoutMask.threshold(0.3f), 1 / 0.7f);
            assertClose(e, a, 0f, "add, scale, dropout, length " + len);
        }
    }

    @Test
    void sumsMatchScalar() {
        for (int[] rc : new int[][] {{1, 1}, {64, 10}, {7, 129}, {100, 33}}) {
            float[] src = random(rc[0] * rc[1] + 1, 9);
            float[] e = random(rc[1], 10);
            float[] a = e.clone();
            SCALAR.sumRows(ONE, src, 1, rc[0], rc[1], e, 0, true);
            SIMD.sumRows(TWO, src, 1, rc[0], rc[1], a, 0, true);
            assertClose(e, a, 0f, "sumRows " + rc[0] + "x" + rc[1]);
        }
        float[] v = random(20011, 11);
        assertEquals(SCALAR.backendOf().elementwise().sum(v, 0, v.length),
                SIMD.backendOf().elementwise().sum(v, 0, v.length), 1e-3f);
    }

    // ---- losses ----

    @ParameterizedTest(name = "loss {0}")
    @EnumSource(Kernels.Loss.class)
    void lossesMatchScalar(Kernels.Loss kind) {
        for (int cols : new int[] {1, 2, 10, 17, 33}) {
            if ((kind == Kernels.Loss.NLL || kind == Kernels.Loss.SOFTMAX_CROSS_ENTROPY) && cols < 2) {
                continue;
            }
            int rows = 37;
            boolean classes = kind == Kernels.Loss.NLL || kind == Kernels.Loss.SOFTMAX_CROSS_ENTROPY;
            float[] y = random(rows * cols, cols);
            if (kind == Kernels.Loss.NLL || kind == Kernels.Loss.BCE) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = 0.5f + 0.45f * y[i];
                }
            }
            SplittableRandom r = new SplittableRandom(cols);
            float[] t = new float[rows * (classes ? 1 : cols)];
            for (int i = 0; i < t.length; i++) {
                t[i] = classes ? r.nextInt(cols) : kind == Kernels.Loss.MSE ? (float) r.nextDouble() : r.nextInt(2);
            }
            float[] ge = new float[rows * cols];
            float[] ga = new float[rows * cols];
            float[] se = new float[2];
            float[] sa = new float[2];
            SCALAR.loss(ONE, kind, y, 0, rows, cols, t, 0, ge, 0, se);
            SIMD.loss(TWO, kind, y, 0, rows, cols, t, 0, ga, 0, sa);
            assertClose(ge, ga, Tolerances.TRANSCENDENTAL, kind + " gradient, " + cols + " columns");
            assertEquals(se[0], sa[0], 1e-4f * Math.max(1, Math.abs(se[0])), kind + " loss");
            assertEquals(se[1], sa[1], kind + " rows right");
        }
    }

    @Test
    void softmaxAndItsGradientMatchScalar() {
        int rows = 19;
        for (int cols : new int[] {2, 10, 16, 17, 100}) {
            float[] x = random(rows * cols, cols);
            float[] ye = new float[rows * cols];
            float[] ya = new float[rows * cols];
            SCALAR.softmax(ONE, x, 0, rows, cols, ye, 0);
            SIMD.softmax(TWO, x, 0, rows, cols, ya, 0);
            assertClose(ye, ya, Tolerances.TRANSCENDENTAL, "softmax " + cols);
            float[] dy = random(rows * cols, 99);
            float[] de = new float[rows * cols];
            float[] da = new float[rows * cols];
            SCALAR.softmaxGrad(ONE, dy, 0, ye, 0, rows, cols, de, 0);
            SIMD.softmaxGrad(TWO, dy, 0, ye, 0, rows, cols, da, 0);
            assertClose(de, da, Tolerances.TRANSCENDENTAL, "softmax gradient " + cols);
        }
    }

    // ---- optimizers ----

    @Test
    void optimizerUpdatesMatchScalarFusedAndInPieces() {
        int n = 40_003;
        for (boolean fused : new boolean[] {true, false}) {
            for (Kernels.Update kind : new Kernels.Update[] {Kernels.Update.SGD, Kernels.Update.ADAM}) {
                float[] p = random(n, 1);
                float[] g = random(n, 2);
                float[] s1 = random(n, 3);
                float[] s2 = random(n, 4);
                for (int i = 0; i < n; i++) {
                    s2[i] = Math.abs(s2[i]);
                }
                float[][] e = {p.clone(), g.clone(), s1.clone(), s2.clone()};
                float[][] a = {p.clone(), g.clone(), s1.clone(), s2.clone()};
                step(SCALAR, ONE, kind, fused, n, e);
                step(SIMD, TWO, kind, fused, n, a);
                for (int j = 0; j < 4; j++) {
                    assertClose(e[j], a[j], Tolerances.POINTWISE * 4, kind + (fused ? " fused" : " in pieces") + " array " + j);
                }
            }
        }
    }

    private static void step(Kernels k, Exec ex, Kernels.Update kind, boolean fused, int n, float[][] s) {
        if (kind == Kernels.Update.SGD) {
            if (fused) {
                k.update(ex, Kernels.Update.SGD, n, s[0], s[1], s[2], null, 0.1f, 0.9f, 0.01f, 0, 0, true, 0, 0);
            } else {
                k.update(ex, Kernels.Update.AXPY, n, s[1], s[0], null, null, 0.01f, 0, 0, 0, 0, false, 0, 0);
                k.update(ex, Kernels.Update.MOMENTUM, n, s[2], s[1], null, null, 0.9f, 0, 0, 0, 0, false, 0, 0);
                k.update(ex, Kernels.Update.AXPY, n, s[0], s[2], null, null, -0.1f, 0, 0, 0, 0, false, 0, 0);
            }
        } else if (fused) {
            k.update(ex, Kernels.Update.ADAM, n, s[0], s[1], s[2], s[3], 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 0.1f, 0.001f);
        } else {
            k.update(ex, Kernels.Update.SCALE, n, s[0], null, null, null, 1 - 1e-3f * 0.01f, 0, 0, 0, 0, false, 0, 0);
            k.update(ex, Kernels.Update.ADAM_MOMENTS, n, s[2], s[3], s[1], null, 0.9f, 0.999f, 0, 0, 0, false, 0, 0);
            k.update(ex, Kernels.Update.ADAM_APPLY, n, s[0], s[2], s[3], null, 1e-3f, 1e-8f, 0.1f, 0.001f, 0, false, 0, 0);
        }
    }

    @Test
    void dropoutKeepsAboutOneMinusP() {
        float[] v = new float[100_000];
        java.util.Arrays.fill(v, 1f);
        SIMD.backendOf().elementwise().dropout(v, 0, v.length, 0, 1234, DropoutMask.threshold(0.3f), 1 / 0.7f);
        long kept = 0;
        for (float x : v) {
            kept += x != 0 ? 1 : 0;
        }
        assertEquals(0.7, kept / 100_000.0, 0.01);
    }
}
