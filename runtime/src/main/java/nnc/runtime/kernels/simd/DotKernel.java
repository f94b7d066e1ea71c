package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A . B^T} for row-major A [M, K] and B [N, K] without packing: both operands are
 * contiguous along K, so each element of C is a dot product of two rows. A 4 x 4 tile of C
 * keeps 16 vector accumulators over K (4 + 4 loads feed 16 fused multiply-adds per step) and
 * reduces each to a scalar once at the end. This is the linear layer's forward pass at
 * training batch sizes, where packing the weight matrix would cost a third of the multiply.
 */
final class DotKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private DotKernel() {
    }

    /**
     * C[i0..i0+4, j0..j0+4] (+)= A[i0.., :k] . B[j0.., :k]^T, with {@code s} (16 floats) as
     * scratch for the sums. The vector loop is unmasked and
     * the last {@code k % L} terms are added in scalar code: masked loads would make the
     * method too big for C1, which expands every vector operation into its Java fallback and,
     * when it gives up on a method ("out of virtual registers"), can leave it on that slow
     * fallback for good.
     */
    static void tile4x4(int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                        float[] c, int co, int ldc, boolean loadC, float[] s) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        int a1 = ao + lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        int b1 = bo + ldb;
        int b2 = bo + 2 * ldb;
        int b3 = bo + 3 * ldb;
        int bound = S.loopBound(k);
        for (int p = 0; p < bound; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, ao + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(S, a, a3 + p);
            FloatVector w = FloatVector.fromArray(S, b, bo + p);
            c00 = x0.fma(w, c00);
            c10 = x1.fma(w, c10);
            c20 = x2.fma(w, c20);
            c30 = x3.fma(w, c30);
            w = FloatVector.fromArray(S, b, b1 + p);
            c01 = x0.fma(w, c01);
            c11 = x1.fma(w, c11);
            c21 = x2.fma(w, c21);
            c31 = x3.fma(w, c31);
            w = FloatVector.fromArray(S, b, b2 + p);
            c02 = x0.fma(w, c02);
            c12 = x1.fma(w, c12);
            c22 = x2.fma(w, c22);
            c32 = x3.fma(w, c32);
            w = FloatVector.fromArray(S, b, b3 + p);
            c03 = x0.fma(w, c03);
            c13 = x1.fma(w, c13);
            c23 = x2.fma(w, c23);
            c33 = x3.fma(w, c33);
        }
        s[0] = c00.reduceLanes(VectorOperators.ADD);
        s[1] = c01.reduceLanes(VectorOperators.ADD);
        s[2] = c02.reduceLanes(VectorOperators.ADD);
        s[3] = c03.reduceLanes(VectorOperators.ADD);
        s[4] = c10.reduceLanes(VectorOperators.ADD);
        s[5] = c11.reduceLanes(VectorOperators.ADD);
        s[6] = c12.reduceLanes(VectorOperators.ADD);
        s[7] = c13.reduceLanes(VectorOperators.ADD);
        s[8] = c20.reduceLanes(VectorOperators.ADD);
        s[9] = c21.reduceLanes(VectorOperators.ADD);
        s[10] = c22.reduceLanes(VectorOperators.ADD);
        s[11] = c23.reduceLanes(VectorOperators.ADD);
        s[12] = c30.reduceLanes(VectorOperators.ADD);
        s[13] = c31.reduceLanes(VectorOperators.ADD);
        s[14] = c32.reduceLanes(VectorOperators.ADD);
        s[15] = c33.reduceLanes(VectorOperators.ADD);
        finish(k, bound, a, ao, lda, b, bo, ldb, c, co, ldc, loadC, s);
    }

    /** The scalar tail of a 4 x 4 tile's dot products, then the stores (no vectors here). */
    private static void finish(int k, int from, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                               float[] c, int co, int ldc, boolean loadC, float[] s) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                float t = s[i * 4 + j];
                for (int p = from; p < k; p++) {
                    t += a[ao + i * lda + p] * b[bo + j * ldb + p];
                }
                int at = co + i * ldc + j;
                c[at] = loadC ? c[at] + t : t;
            }
        }
    }

    /** One element of C: a single dot product, for the edges of the tiling. */
    static void one(int k, float[] a, int ao, float[] b, int bo, float[] c, int co, boolean loadC) {
        FloatVector acc = FloatVector.zero(S);
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            acc = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, b, bo + p), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            s += a[ao + p] * b[bo + p];
        }
        c[co] = loadC ? c[co] + s : s;
    }
}
