package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every backend meets: each backend on one and two threads ({@link Runners})
 * against the scalar kernels on one thread, on shapes chosen to hit tails and edge panels (1,
 * primes, one past a vector, one past a panel, one past a dot-product tile).
 */
class KernelContractTest {

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
                    what + " at " + i + ": reference " + e + ", got " + a);
        }
    }

    // ---- GEMM ----

    static Stream<Arguments> gemmShapes() {
        int[][] shapes = {{1, 1, 1}, {1, 17, 3}, {7, 1, 5}, {8, 32, 1}, {9, 33, 17}, {13, 47, 31}, {64, 256, 100},
            {5, 13, 64}, {3, 7, 71}, {145, 97, 260}, {3, 300, 513}, {31, 3073, 7}, {300, 70, 300}, {601, 33, 513},
            {290, 3100, 20}, {1, 29, 200}, {1, 8, 64}, {6, 9, 67}};
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
            Runner ref = Runners.REFERENCE;
            ref.k().gemm(ref.ex(), ta, tb, m, n, k, a, pad, lda, b, pad, ldb, expected, pad, ldc, accumulate, Epilogue.NONE);
            float tol = Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(k + 1);
            for (Runner r : Runners.CANDIDATES) {
                float[] actual = c0.clone();
                r.k().gemm(r.ex(), ta, tb, m, n, k, a, pad, lda, b, pad, ldb, actual, pad, ldc, accumulate, Epilogue.NONE);
                assertClose(expected, actual, tol, "gemm " + layout + " " + r + ", accumulate " + accumulate);
                for (int i = 0; i < pad; i++) {
                    assertEquals(c0[i], actual[i], "gemm wrote before C");
                }
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
        Runners.SIMD.gemm(Runners.ONE, false, false, m, n, k, a, 0, k, b, 0, n, c1, 0, n, false, Epilogue.NONE);
        Runners.SIMD.gemm(Runners.TWO, false, false, m, n, k, a, 0, k, b, 0, n, c2, 0, n, false, Epilogue.NONE);
        assertClose(c1, c2, 0f, "bit-for-bit across thread counts");
    }

    @Test
    void aRowGetsTheSameBitsAloneAsInABatch() {
        // A prediction of one sample and the same sample in a batch take different dot-product
        // tiles (1 x 8, 2 x 6, 4 x 4); every tile sums in the same order.
        int n = 37;
        int k = 300;
        for (int m : new int[] {2, 3, 4, 5, 7}) {
            float[] a = random(m * k, 20 + m);
            float[] b = random(n * k, 30);
            float[] batch = new float[m * n];
            Runners.SIMD.gemm(Runners.ONE, false, true, m, n, k, a, 0, k, b, 0, k, batch, 0, n, false, Epilogue.NONE);
            for (int i = 0; i < m; i++) {
                float[] row = new float[n];
                Runners.SIMD.gemm(Runners.ONE, false, true, 1, n, k, a, i * k, k, b, 0, k, row, 0, n, false,
                        Epilogue.NONE);
                assertClose(java.util.Arrays.copyOfRange(batch, i * n, i * n + n), row, 0f,
                        "row " + i + " of " + m + ", alone against in the batch");
            }
        }
    }

    @Test
    void aShareOfABatchDrawsTheWholeBatchsDropoutMasks() {
        // A data-parallel worker computes rows 1, 4 and 5 of a batch of 6: with the step key
        // placing them, each row gets the mask it has in the whole batch, however the
        // epilogue's segments cut the rows.
        int width = 37;
        int[] share = {1, 4, 5};
        StepKey key = new StepKey();
        key.set(99);
        for (Runner r : Runners.CANDIDATES) {
            float[] whole = new float[6 * width];
            java.util.Arrays.fill(whole, 1f);
            r.k().epilogue(0).dropout(0.4f, key, 3, width).build().apply(whole, 0, whole.length);
            float[] part = new float[share.length * width];
            java.util.Arrays.fill(part, 1f);
            key.setRows(share);
            Epilogue e = r.k().epilogue(0).dropout(0.4f, key, 3, width).build();
            e.apply(part, 0, 50);
            e.apply(part, 50, part.length - 50);
            key.setRows(null);
            for (int i = 0; i < share.length; i++) {
                assertClose(java.util.Arrays.copyOfRange(whole, share[i] * width, share[i] * width + width),
                        java.util.Arrays.copyOfRange(part, i * width, i * width + width), 0f,
                        "row " + share[i] + " as row " + i + " of a share, " + r);
            }
        }
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
        float[] storedE = new float[m * n];
        Runner ref = Runners.REFERENCE;
        Epilogue e1 = ref.k().epilogue(0).bias(bias, 0, 1, n).add(residual, 0).act(Act.RELU, 0).store(storedE, 0)
                .dropout(0.25f, key, 5, n).build();
        ref.k().gemm(ref.ex(), false, true, m, n, k, a, 0, k, b, 0, k, expected, 0, n, false, e1);
        float tol = Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(k);
        for (Runner r : Runners.CANDIDATES) {
            float[] actual = new float[m * n];
            float[] storedA = new float[m * n];
            Epilogue e2 = r.k().epilogue(0).bias(bias, 0, 1, n).add(residual, 0).act(Act.RELU, 0).store(storedA, 0)
                    .dropout(0.25f, key, 5, n).build();
            r.k().gemm(r.ex(), false, true, m, n, k, a, 0, k, b, 0, k, actual, 0, n, false, e2);
            assertClose(expected, actual, tol, "gemm + bias + add + relu + dropout, " + r);
            assertClose(storedE, storedA, tol, "stored intermediate, " + r);
        }
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
            Runners.SCALAR.backendOf().elementwise().act(act, 0.1f, e, 1, len);
            Runners.SIMD.backendOf().elementwise().act(act, 0.1f, a, 1, len);
            float tol = act == Act.RELU || act == Act.LEAKY_RELU
                    ? Tolerances.POINTWISE : Tolerances.TRANSCENDENTAL;
            assertClose(e, a, tol, act + " forward, length " + len);
            float[] g = random(len + 2, len + 1);
            float[] ge = g.clone();
            float[] ga = g.clone();
            float[] s = act.gradFromInput() ? x : e;
            Runners.SCALAR.backendOf().elementwise().actGrad(act, 0.1f, ge, 1, len, s, 1);
            Runners.SIMD.backendOf().elementwise().actGrad(act, 0.1f, ga, 1, len, s, 1);
            assertClose(ge, ga, tol * 4, act + " gradient, length " + len);
        }
    }

    @Test
    void biasAddAddScaleAndDropoutMatchScalar() {
        Elementwise se = Runners.SCALAR.backendOf().elementwise();
        Elementwise ve = Runners.SIMD.backendOf().elementwise();
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
            float[] d = random(rc[1], 10);
            float[] e = d.clone();
            Runners.REFERENCE.k().sumRows(Runners.REFERENCE.ex(), src, 1, rc[0], rc[1], e, 0, true);
            for (Runner r : Runners.CANDIDATES) {
                float[] a = d.clone();
                r.k().sumRows(r.ex(), src, 1, rc[0], rc[1], a, 0, true);
                assertClose(e, a, 0f, "sumRows " + rc[0] + "x" + rc[1] + ", " + r);
            }
        }
        float[] v = random(20011, 11);
        assertEquals(Runners.SCALAR.backendOf().elementwise().sum(v, 0, v.length),
                Runners.SIMD.backendOf().elementwise().sum(v, 0, v.length), 1e-3f);
    }

    /** Concat and its gradient (a slice): per-sample blocks between strides, exact on every runner. */
    @Test
    void copyBlocksMatchesScalar() {
        int n = 37;
        float[] src = random(n * 11 + 3, 13);
        float[] expected = random(n * 17 + 5, 14);
        float[] start = expected.clone();
        Runners.REFERENCE.k().copyBlocks(Runners.REFERENCE.ex(), n, src, 3, 11, expected, 5, 17, 9);
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < 9; i++) {
                assertEquals(src[3 + b * 11 + i], expected[5 + b * 17 + i], "block " + b);
            }
        }
        for (Runner r : Runners.CANDIDATES) {
            float[] actual = start.clone();
            r.k().copyBlocks(r.ex(), n, src, 3, 11, actual, 5, 17, 9);
            assertClose(expected, actual, 0f, "copyBlocks, " + r);
        }
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
            SplittableRandom rng = new SplittableRandom(cols);
            float[] t = new float[rows * (classes ? 1 : cols)];
            for (int i = 0; i < t.length; i++) {
                t[i] = classes ? rng.nextInt(cols) : kind == Kernels.Loss.MSE ? (float) rng.nextDouble() : rng.nextInt(2);
            }
            float[] ge = new float[rows * cols];
            float[] se = new float[2];
            Runners.REFERENCE.k().loss(Runners.REFERENCE.ex(), kind, y, 0, rows, cols, t, 0, ge, 0, se);
            for (Runner r : Runners.CANDIDATES) {
                float[] ga = new float[rows * cols];
                float[] sa = new float[2];
                r.k().loss(r.ex(), kind, y, 0, rows, cols, t, 0, ga, 0, sa);
                assertClose(ge, ga, Tolerances.TRANSCENDENTAL, kind + " gradient, " + cols + " columns, " + r);
                assertEquals(se[0], sa[0], 1e-4f * Math.max(1, Math.abs(se[0])), kind + " loss, " + r);
                assertEquals(se[1], sa[1], kind + " rows right, " + r);
            }
        }
    }

    @Test
    void softmaxAndItsGradientMatchScalar() {
        int rows = 19;
        for (int cols : new int[] {2, 10, 16, 17, 100}) {
            float[] x = random(rows * cols, cols);
            float[] dy = random(rows * cols, 99);
            Runner ref = Runners.REFERENCE;
            float[] ye = new float[rows * cols];
            float[] de = new float[rows * cols];
            ref.k().softmax(ref.ex(), x, 0, rows, cols, ye, 0);
            ref.k().softmaxGrad(ref.ex(), dy, 0, ye, 0, rows, cols, de, 0);
            for (Runner r : Runners.CANDIDATES) {
                float[] ya = new float[rows * cols];
                float[] da = new float[rows * cols];
                r.k().softmax(r.ex(), x, 0, rows, cols, ya, 0);
                r.k().softmaxGrad(r.ex(), dy, 0, ye, 0, rows, cols, da, 0);
                assertClose(ye, ya, Tolerances.TRANSCENDENTAL, "softmax " + cols + ", " + r);
                assertClose(de, da, Tolerances.TRANSCENDENTAL, "softmax gradient " + cols + ", " + r);
            }
        }
    }

    // ---- optimizers ----

    /** The optimizers a step can run, fused and as the passes of an unfused step. */
    enum Update {
        SGD, ADAM, ADAMW
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Update.class)
    void optimizerUpdatesMatchScalarFusedAndInPieces(Update kind) {
        int n = 40_003;
        for (boolean fused : new boolean[] {true, false}) {
            float[][] start = {random(n, 1), random(n, 2), random(n, 3), random(n, 4)};
            for (int i = 0; i < n; i++) {
                start[3][i] = Math.abs(start[3][i]);
            }
            float[][] e = copy(start);
            step(Runners.REFERENCE, kind, fused, n, e);
            for (Runner r : Runners.CANDIDATES) {
                float[][] a = copy(start);
                step(r, kind, fused, n, a);
                for (int j = 0; j < 4; j++) {
                    assertClose(e[j], a[j], Tolerances.POINTWISE * 4, kind + (fused ? " fused" : " in pieces")
                            + " array " + j + ", " + r);
                }
            }
        }
    }

    private static float[][] copy(float[][] arrays) {
        float[][] c = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            c[i] = arrays[i].clone();
        }
        return c;
    }

    /** One step on {@code s = {params, grads, state1, state2}}, fused or in the unfused passes. */
    private static void step(Runner r, Update kind, boolean fused, int n, float[][] s) {
        Kernels k = r.k();
        Exec ex = r.ex();
        switch (kind) {
            case SGD -> {
                if (fused) {
                    k.sgd(ex, n, s[0], s[1], s[2], 0.1f, 0.9f, 0.01f, true);
                } else {
                    k.axpy(ex, n, s[1], s[0], 0.01f);
                    k.momentum(ex, n, s[2], s[1], 0.9f);
                    k.axpy(ex, n, s[1], s[2], 0.9f);
                    k.axpy(ex, n, s[0], s[1], -0.1f);
                }
            }
            case ADAM -> {
                if (fused) {
                    k.adam(ex, n, s[0], s[1], s[2], s[3], 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 0.1f, 0.001f);
                } else {
                    k.axpy(ex, n, s[1], s[0], 0.01f);
                    k.adamMoments(ex, n, s[2], s[3], s[1], 0.9f, 0.999f);
                    k.adamApply(ex, n, s[0], s[2], s[3], 1e-3f, 1e-8f, 0.1f, 0.001f);
                }
            }
            case ADAMW -> {
                if (fused) {
                    k.adamW(ex, n, s[0], s[1], s[2], s[3], 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 0.1f, 0.001f);
                } else {
                    k.scale(ex, n, s[0], 1 - 1e-3f * 0.01f);
                    k.adamMoments(ex, n, s[2], s[3], s[1], 0.9f, 0.999f);
                    k.adamApply(ex, n, s[0], s[2], s[3], 1e-3f, 1e-8f, 0.1f, 0.001f);
                }
            }
        }
    }

    /**
     * Tasks are keyed by backend: after the SIMD kernels ran on an exec, the scalar ones on the
     * same exec give exactly the bits they give on a fresh exec (softmax: the two backends'
     * exponentials differ in the last bits, so a shared task would show).
     */
    @Test
    void eachBackendRunsItsOwnTasksOnASharedExec() {
        int rows = 40;
        int cols = 33;
        float[] x = random(rows * cols, 12);
        float[] fresh = new float[rows * cols];
        float[] simd = new float[rows * cols];
        float[] shared = new float[rows * cols];
        try (Exec a = Exec.threads(2); Exec b = Exec.threads(2)) {
            Runners.SCALAR.softmax(a, x, 0, rows, cols, fresh, 0);
            Runners.SIMD.softmax(b, x, 0, rows, cols, simd, 0);
            Runners.SCALAR.softmax(b, x, 0, rows, cols, shared, 0);
        }
        assertTrue(!java.util.Arrays.equals(fresh, simd), "the backends differ in the last bits (else this proves nothing)");
        org.junit.jupiter.api.Assertions.assertArrayEquals(fresh, shared);
    }

    @Test
    void dropoutKeepsAboutOneMinusP() {
        float[] v = new float[100_000];
        java.util.Arrays.fill(v, 1f);
        Runners.SIMD.backendOf().elementwise().dropout(v, 0, v.length, 0, 1234, DropoutMask.threshold(0.3f), 1 / 0.7f);
        long kept = 0;
        for (float x : v) {
            kept += x != 0 ? 1 : 0;
        }
        assertEquals(0.7, kept / 100_000.0, 0.01);
    }
}
