package nnc.runtime.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Epilogue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every path of the micro-kernel GEMM (packed, B in place, both operands in place for short-K
 * products, split or shared over threads) gives each element of C the same bits: the sum
 * over k in increasing order from zero with fused multiply-adds, a K block of
 * {@link SimdGemm#KC} at a time, each block then added to C. The model below computes exactly
 * that, so any tile shape or loop order that changes an element's order fails here.
 */
class GemmBitsTest {
    private static final Exec ONE = Exec.sequential();
    private static final Exec TWO = Exec.threads(2);
    private static final SimdGemm GEMM = new SimdGemm();

    @AfterAll
    static void close() {
        TWO.close();
    }

    /** C = (accumulate ? C : 0) + op(A) . op(B), block by block, each block summed from zero by FMAs. */
    private static void model(boolean ta, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                              int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                for (int p0 = 0; p0 < k; p0 += SimdGemm.KC) {
                    float acc = 0f;
                    for (int p = p0; p < Math.min(k, p0 + SimdGemm.KC); p++) {
                        float av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        acc = Math.fma(av, b[bOff + p * ldb + j], acc);
                    }
                    c[ci] = accumulate || p0 > 0 ? c[ci] + acc : acc;
                }
            }
        }
    }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    private static void check(boolean ta, int m, int n, int k) {
        check(ta, m, n, k, false);
    }

    /**
     * With {@code epilogue}, C's rows then get {@code 2 v + src}, which is not idempotent: a row
     * given the epilogue twice, or not at all, fails.
     */
    private static void check(boolean ta, int m, int n, int k, boolean epilogue) {
        int pad = 3;
        int lda = (ta ? m : k) + 2;
        int ldb = n + 1;
        int ldc = n + 5;
        float[] a = random(pad + (ta ? k : m) * lda, 11);
        float[] b = random(pad + k * ldb, 12);
        float[] c0 = random(pad + m * ldc + 4, 13);
        float[] side = random(m * ldc, 14);
        Epilogue epi = epilogue ? Epilogue.on(pad).scale(2f).add(side, 0).build() : Epilogue.NONE;
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] expected = c0.clone();
            model(ta, m, n, k, a, pad, lda, b, pad, ldb, expected, pad, ldc, accumulate);
            for (int i = 0; epilogue && i < m; i++) {
                epi.apply(expected, pad + i * ldc, n);
            }
            for (Exec ex : new Exec[] {ONE, TWO}) {
                float[] actual = c0.clone();
                GEMM.gemm(ex, ta, false, m, n, k, a, pad, lda, b, pad, ldb, actual, pad, ldc, accumulate, epi);
                for (int i = 0; i < actual.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                            () -> (ta ? "TN " : "NN ") + m + "x" + n + "x" + k + " on " + ex.threads()
                                + " thread(s), accumulate " + accumulate + (epilogue ? ", with an epilogue" : ""));
                }
            }
        }
    }

    @Test
    void shortKProductsGiveTheModelsBits() {
        // Rows that end on six-row tiles only, on one and on two eight-row tiles, ragged rows and
        // columns; the MNIST MLP's backward shapes.
        int[][] shapes = {{256, 784, 64}, {128, 256, 64}, {64, 256, 128}, {64, 128, 10}, {10, 128, 64}, {8, 16, 1},
            {9, 17, 5}, {200, 300, 3}, {131, 95, 64}, {300, 70, 512}, {7, 33, 20}, {264, 40, 33}, {16, 32, 7},
            {24, 48, 2}, {120, 100, 300}};
        for (int[] s : shapes) {
            check(true, s[0], s[1], s[2]);
            check(false, s[0], s[1], s[2]);
        }
    }

    @Test
    void theEpilogueRunsOnceOnEveryElement() {
        // whole tiles, ragged rows and columns, row and column splits on two threads
        int[][] shapes = {{256, 784, 64}, {64, 256, 128}, {10, 128, 64}, {131, 95, 64}, {264, 40, 33}};
        for (int[] s : shapes) {
            check(true, s[0], s[1], s[2], true);
            check(false, s[0], s[1], s[2], true);
        }
    }

    @Test
    void theMlpGradientShapesTakeTheInPlacePathWithEightLanes() {
        // Otherwise the tests above pass on the packed path alone (16 lanes keep it).
        boolean eight = MicroKernel.L == 8;
        assertEquals(eight, InPlaceGemm.applies(true, false, 256, 784, 64), "TN 256x784x64");
        assertEquals(eight, InPlaceGemm.applies(true, false, 128, 256, 64), "TN 128x256x64");
        assertEquals(eight, InPlaceGemm.applies(false, false, 64, 256, 128), "NN 64x256x128");
        assertTrue(!InPlaceGemm.applies(true, false, 512, 784, 512), "A larger than half of L2");
    }

    @Test
    void longKAndPlainProductsGiveTheModelsBits() {
        int[][] shapes = {{145, 97, 600}, {300, 70, 513}, {64, 256, 128}, {33, 40, 1030}, {200, 50, 64}};
        for (int[] s : shapes) {
            check(true, s[0], s[1], s[2]);
            check(false, s[0], s[1], s[2]);
        }
    }
}
