package nnc.runtime.kernels;

import static nnc.runtime.kernels.KernelContractTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import nnc.runtime.kernels.Runners.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GemmKernels#inputGemm} and {@link GemmKernels#inputGemmDw}: the sparse twins agree bit
 * for bit on every runner, equal the dense product up to regrouped rounding, and fall back to the
 * dense product itself when the input is not sparse or is another input than the one taken in.
 */
class SparseInputContractTest {
    static final float BACKGROUND = -0.4242f;

    /** Mostly {@code background}; the rest uniform in (-2, 2), one in 50 of them -0 or +0. */
    static float[] input(int rows, int cols, double density, float background, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            double u = r.nextDouble();
            x[i] = u >= density ? background : u < density / 50 ? (r.nextBoolean() ? -0f : 0f)
                    : (float) r.nextDouble(-2, 2);
        }
        return x;
    }

    /** The dense product in double: x . W^T ([rows, out]) or dy^T . x ([out, cols]). */
    static float[] reference(boolean gradient, float[] x, float[] b, int rows, int out, int cols) {
        float[] c = new float[gradient ? out * cols : rows * out];
        for (int o = 0; o < out; o++) {
            for (int q = 0; q < (gradient ? cols : rows); q++) {
                double s = 0;
                for (int p = 0; p < (gradient ? rows : cols); p++) {
                    s += gradient ? (double) b[p * out + o] * x[p * cols + q] : (double) x[q * cols + p] * b[o * cols + p];
                }
                c[gradient ? o * cols + q : q * out + o] = (float) s;
            }
        }
        return c;
    }

    static Stream<Arguments> shapes() {
        int[][] shapes = {{1, 1, 1}, {3, 7, 9}, {5, 64, 70}, {64, 256, 784}, {17, 130, 33}, {2, 200, 130},
            {33, 65, 64}, {64, 10, 100}};
        return Stream.of(shapes).flatMap(s -> Stream.of(0f, BACKGROUND)
                .map(c -> Arguments.of(s[0], s[1], s[2], c)));
    }

    @ParameterizedTest(name = "rows {0}, out {1}, cols {2}, background {3}")
    @MethodSource("shapes")
    void sparseProductsAgreeOnEveryRunnerAndWithTheDenseProduct(int rows, int out, int cols, float background) {
        float[] x = input(rows, cols, 0.2, background, rows * 31L + cols);
        float[] w = KernelContractTest.random(out * cols, 2);
        float[] dy = KernelContractTest.random(rows * out, 3);
        float[][] ref = run(Runners.REFERENCE, x, w, dy, rows, out, cols);
        float tol = Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(Math.max(rows, cols)) * 4;
        assertClose(reference(false, x, w, rows, out, cols), ref[0], tol, "forward against the dense product");
        assertClose(reference(true, x, dy, rows, out, cols), ref[1], tol, "gradient against the dense product");
        for (Runner r : Runners.CANDIDATES) {
            float[][] got = run(r, x, w, dy, rows, out, cols);
            assertClose(ref[0], got[0], 0f, "forward bit for bit, " + r);
            assertClose(ref[1], got[1], 0f, "gradient bit for bit, " + r);
        }
    }

    /** Forward into [rows, out] and gradient into [out, cols], at offsets and leading dimensions past the data. */
    private static float[][] run(Runner r, float[] x, float[] w, float[] dy, int rows, int out, int cols) {
        SparseRows sparse = new SparseRows();
        int xOff = 3;
        float[] xs = new float[xOff + rows * (cols + 2)];
        for (int q = 0; q < rows; q++) {
            System.arraycopy(x, q * cols, xs, xOff + q * (cols + 2), cols);
        }
        float[] y = new float[1 + rows * (out + 1)];
        r.k().inputGemm(r.ex(), sparse, rows, out, cols, xs, xOff, cols + 2, w, 0, cols, y, 1, out + 1, Epilogue.NONE);
        assertTrue(sparse.holds(xs, xOff, cols + 2, rows, cols), "the input was taken in as sparse, " + r);
        float[] dw = new float[out * cols];
        r.k().inputGemmDw(r.ex(), sparse, out, cols, rows, dy, 0, out, xs, xOff, cols + 2, dw, 0, cols, false,
                Epilogue.NONE);
        float[] packed = new float[rows * out];
        for (int q = 0; q < rows; q++) {
            System.arraycopy(y, 1 + q * (out + 1), packed, q * out, out);
        }
        return new float[][] {packed, dw};
    }

    @Test
    void aDenseInputRunsTheDenseProductItself() {
        int rows = 20;
        int out = 70;
        int cols = 90;
        float[] x = input(rows, cols, 0.8, BACKGROUND, 9);
        float[] w = KernelContractTest.random(out * cols, 4);
        float[] dy = KernelContractTest.random(rows * out, 5);
        for (Runner r : Runners.CANDIDATES) {
            SparseRows sparse = new SparseRows();
            float[] y = new float[rows * out];
            float[] dense = new float[rows * out];
            r.k().inputGemm(r.ex(), sparse, rows, out, cols, x, 0, cols, w, 0, cols, y, 0, out, Epilogue.NONE);
            r.k().gemm(r.ex(), false, true, rows, out, cols, x, 0, cols, w, 0, cols, dense, 0, out, false, Epilogue.NONE);
            assertFalse(sparse.holds(x, 0, cols, rows, cols));
            assertClose(dense, y, 0f, "forward, " + r);
            float[] dw = new float[out * cols];
            float[] denseDw = new float[out * cols];
            r.k().inputGemmDw(r.ex(), sparse, out, cols, rows, dy, 0, out, x, 0, cols, dw, 0, cols, false, Epilogue.NONE);
            r.k().gemm(r.ex(), true, false, out, cols, rows, dy, 0, out, x, 0, cols, denseDw, 0, cols, false,
                    Epilogue.NONE);
            assertClose(denseDw, dw, 0f, "gradient, " + r);
        }
    }

    @Test
    void theGradientOfAnotherInputThanTheOneTakenInIsDense() {
        int rows = 6;
        int cols = 40;
        int out = 9;
        float[] x = input(rows, cols, 0.1, 0f, 10);
        float[] other = input(rows, cols, 0.1, 0f, 11);
        float[] w = KernelContractTest.random(out * cols, 6);
        float[] dy = KernelContractTest.random(rows * out, 7);
        SparseRows sparse = new SparseRows();
        Kernels k = Runners.SIMD;
        k.inputGemm(Runners.ONE, sparse, rows, out, cols, x, 0, cols, w, 0, cols, new float[rows * out], 0, out,
                Epilogue.NONE);
        float[] dw = new float[out * cols];
        k.inputGemmDw(Runners.ONE, sparse, out, cols, rows, dy, 0, out, other, 0, cols, dw, 0, cols, false,
                Epilogue.NONE);
        assertClose(reference(true, other, dy, rows, out, cols), dw, 1e-5f, "gradient of the other input");
        assertFalse(sparse.holds(x, 1, cols, rows, cols), "another offset");
    }

    @Test
    void nanAndInfinityInTheInputReachTheOutputsAsInTheDenseProduct() {
        int rows = 4;
        int cols = 30;
        int out = 12;
        float[] x = input(rows, cols, 0.2, BACKGROUND, 12);
        x[5] = Float.NaN;
        x[cols + 7] = Float.POSITIVE_INFINITY;
        float[] w = KernelContractTest.random(out * cols, 8);
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.abs(w[i]) + 0.01f;
        }
        for (Runner r : Runners.CANDIDATES) {
            SparseRows sparse = new SparseRows();
            float[] y = new float[rows * out];
            r.k().inputGemm(r.ex(), sparse, rows, out, cols, x, 0, cols, w, 0, cols, y, 0, out, Epilogue.NONE);
            for (int o = 0; o < out; o++) {
                assertTrue(Float.isNaN(y[o]), "NaN row, " + r);
                assertEquals(Float.POSITIVE_INFINITY, y[out + o], "inf row, " + r);
                assertTrue(Float.isFinite(y[2 * out + o]), "clean row, " + r);
            }
        }
    }

    @Test
    void aNonFiniteBackgroundIsNeverTakenAndTheBackgroundFollowsTheData() {
        int rows = 8;
        int cols = 16;
        float[] inf = input(rows, cols, 0.1, Float.NEGATIVE_INFINITY, 13);
        SparseRows sparse = new SparseRows();
        assertFalse(sparse.build(Backend.SCALAR.sparse(), inf, 0, cols, rows, cols), "an infinite background");
        float[] x = input(rows, cols, 0.1, 0.5f, 14);
        assertTrue(sparse.build(Backend.SCALAR.sparse(), x, 0, cols, rows, cols));
        assertEquals(0.5f, sparse.background());
        float[] y = input(rows, cols, 0.1, -1f, 15);
        assertTrue(sparse.build(Backend.SCALAR.sparse(), y, 0, cols, rows, cols), "each batch its own background");
        assertEquals(-1f, sparse.background());
    }

    @Test
    void bothTwinsMarkTheSameEntries() {
        SplittableRandom r = new SplittableRandom(16);
        int cBits = Float.floatToRawIntBits(0f);
        for (int n = 1; n <= 200; n += 7) {
            float[] x = new float[n + 5];
            for (int i = 0; i < x.length; i++) {
                int pick = r.nextInt(5);
                x[i] = pick == 0 ? -0f : pick == 1 ? Float.NaN : pick == 2 ? 1f : 0f;
            }
            long[] scalar = new long[4];
            long[] simd = new long[4];
            java.util.Arrays.fill(simd, -1L);
            Backend.SCALAR.sparse().differing(x, 2, n, cBits, scalar);
            Backend.simd().sparse().differing(x, 2, n, cBits, simd);
            for (int w = 0; w < (n + 63) / 64; w++) {
                assertEquals(scalar[w], simd[w], "n " + n + ", word " + w);
            }
            for (int j = 0; j < n; j++) {
                boolean marked = (scalar[j >> 6] >>> j & 1) != 0;
                assertEquals(Float.floatToRawIntBits(x[2 + j]) != cBits, marked, "n " + n + ", entry " + j);
            }
        }
    }

    @Test
    void theEpilogueRunsOnTheSparseForward() {
        int rows = 9;
        int out = 70;
        int cols = 50;
        float[] x = input(rows, cols, 0.2, BACKGROUND, 17);
        float[] w = KernelContractTest.random(out * cols, 9);
        float[] bias = KernelContractTest.random(out, 10);
        float[] expected = new float[rows * out];
        Kernels ref = Runners.SCALAR;
        ref.gemm(Runners.ONE, false, true, rows, out, cols, x, 0, cols, w, 0, cols, expected, 0, out, false,
                ref.epilogue(0).bias(bias, 0, 1, out).act(Act.RELU, 0).build());
        for (Runner r : Runners.CANDIDATES) {
            float[] y = new float[rows * out];
            r.k().inputGemm(r.ex(), new SparseRows(), rows, out, cols, x, 0, cols, w, 0, cols, y, 0, out,
                    r.k().epilogue(0).bias(bias, 0, 1, out).act(Act.RELU, 0).build());
            assertClose(expected, y, 1e-5f, "bias + relu after the sparse forward, " + r);
        }
    }

    /**
     * Random shapes, offsets and leading dimensions on every operand, the weight gradient added
     * to what dW held, and a smaller batch after a larger one on the same structure: the twins
     * agree bit for bit, elements outside the products untouched.
     */
    @Test
    void randomShapesOffsetsAndAccumulationAgreeBitForBit() {
        SplittableRandom r = new SplittableRandom(18);
        SparseRows[] shared = new SparseRows[Runners.CANDIDATES.size() + 1];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = new SparseRows();
        }
        int sparseTrials = 0;
        for (int trial = 0; trial < 60; trial++) {
            int rows = 1 + r.nextInt(trial % 2 == 0 ? 70 : 9);
            int out = 1 + r.nextInt(200);
            int cols = 1 + r.nextInt(120);
            int ldx = cols + r.nextInt(3);
            int ldw = cols + r.nextInt(3);
            int ldy = out + r.nextInt(3);
            int off = r.nextInt(4);
            float[] dense = input(rows, cols, 0.25, r.nextBoolean() ? 0f : BACKGROUND, r.nextLong());
            float[] x = new float[off + rows * ldx];
            for (int q = 0; q < rows; q++) {
                System.arraycopy(dense, q * cols, x, off + q * ldx, cols);
            }
            float[] w = KernelContractTest.random(off + out * ldw, r.nextLong());
            float[] dy = KernelContractTest.random(off + rows * ldy, r.nextLong());
            float[] dw0 = KernelContractTest.random(off + out * ldw, r.nextLong());
            float[][] expected = null;
            boolean taken = false;
            for (int i = 0; i <= Runners.CANDIDATES.size(); i++) {
                Runner run = i == 0 ? Runners.REFERENCE : Runners.CANDIDATES.get(i - 1);
                float[] y = new float[off + rows * ldy];
                float[] dw = dw0.clone();
                run.k().inputGemm(run.ex(), shared[i], rows, out, cols, x, off, ldx, w, off, ldw, y, off, ldy,
                        Epilogue.NONE);
                if (i == 0) {
                    taken = shared[i].holds(x, off, ldx, rows, cols);
                    sparseTrials += taken ? 1 : 0;
                }
                assertEquals(taken, shared[i].holds(x, off, ldx, rows, cols), "trial " + trial + ": same choice, " + run);
                run.k().inputGemmDw(run.ex(), shared[i], out, cols, rows, dy, off, ldy, x, off, ldx, dw, off, ldw, true,
                        run.k().epilogue(off).scale(0.5f).build());
                if (expected == null) {
                    expected = new float[][] {y, dw};
                } else {
                    // Only the sparse twins promise the same bits; the dense ones differ in rounding.
                    float tol = taken ? 0f : Tolerances.SUM_PER_SQRT_TERM * (float) Math.sqrt(Math.max(rows, cols));
                    assertClose(expected[0], y, tol, "trial " + trial + " forward, " + run);
                    assertClose(expected[1], dw, tol, "trial " + trial + " gradient, " + run);
                }
            }
        }
        assertTrue(sparseTrials >= 40, "most trials take the sparse path: " + sparseTrials);
    }

    @Test
    void anInputWhoseDifferenceFromTheBackgroundOverflowsRunsDense() {
        int rows = 3;
        int cols = 4;
        float[] x = {-2e38f, -2e38f, -2e38f, -2e38f, 2e38f, -2e38f, -2e38f, -2e38f, -2e38f, -2e38f, -2e38f, -2e38f};
        float[] w = {1e-38f, 0f, 0f, 0f};
        SparseRows sparse = new SparseRows();
        float[] y = new float[rows];
        Runners.SIMD.inputGemm(Runners.ONE, sparse, rows, 1, cols, x, 0, cols, w, 0, cols, y, 0, 1, Epilogue.NONE);
        assertFalse(sparse.holds(x, 0, cols, rows, cols), "2e38 - (-2e38) overflows");
        assertEquals(-2f, y[0], 1e-6f);
        assertEquals(2f, y[1], 1e-6f);
    }
}
