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

    /** Where the 4 x 4 tile leaves the sum of accumulator n (row-major): n bit-reversed. */
    private static final int[] REVERSED = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

    /**
     * C[i0..i0+4, j0..j0+4] (+)= A[i0.., :k] . B[j0.., :k]^T, with {@code s} (16 floats) as
     * scratch for the sums (sum n at {@code REVERSED[n]}). The vector loop is unmasked and
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
        if (L == 16) {
            // The 16 lane sums at once, each in VMath.sum's order: at each level every vector
            // adds lane i ^ h to lane i, and pairs merge (lanes with bit h set from the
            // second). Sum n lands in lane REVERSED[n]. Written out here: in a helper the
            // vectors would be boxed wherever C2 did not inline it.
            FloatVector p0 = c00.add(c00.rearrange(VMath.X8)).blend(c01.add(c01.rearrange(VMath.X8)), VMath.B8);
            FloatVector p1 = c02.add(c02.rearrange(VMath.X8)).blend(c03.add(c03.rearrange(VMath.X8)), VMath.B8);
            FloatVector p2 = c10.add(c10.rearrange(VMath.X8)).blend(c11.add(c11.rearrange(VMath.X8)), VMath.B8);
            FloatVector p3 = c12.add(c12.rearrange(VMath.X8)).blend(c13.add(c13.rearrange(VMath.X8)), VMath.B8);
            FloatVector p4 = c20.add(c20.rearrange(VMath.X8)).blend(c21.add(c21.rearrange(VMath.X8)), VMath.B8);
            FloatVector p5 = c22.add(c22.rearrange(VMath.X8)).blend(c23.add(c23.rearrange(VMath.X8)), VMath.B8);
            FloatVector p6 = c30.add(c30.rearrange(VMath.X8)).blend(c31.add(c31.rearrange(VMath.X8)), VMath.B8);
            FloatVector p7 = c32.add(c32.rearrange(VMath.X8)).blend(c33.add(c33.rearrange(VMath.X8)), VMath.B8);
            FloatVector q0 = p0.add(p0.rearrange(VMath.X4)).blend(p1.add(p1.rearrange(VMath.X4)), VMath.B4);
            FloatVector q1 = p2.add(p2.rearrange(VMath.X4)).blend(p3.add(p3.rearrange(VMath.X4)), VMath.B4);
            FloatVector q2 = p4.add(p4.rearrange(VMath.X4)).blend(p5.add(p5.rearrange(VMath.X4)), VMath.B4);
            FloatVector q3 = p6.add(p6.rearrange(VMath.X4)).blend(p7.add(p7.rearrange(VMath.X4)), VMath.B4);
            FloatVector r0 = q0.add(q0.rearrange(VMath.X2)).blend(q1.add(q1.rearrange(VMath.X2)), VMath.B2);
            FloatVector r1 = q2.add(q2.rearrange(VMath.X2)).blend(q3.add(q3.rearrange(VMath.X2)), VMath.B2);
            r0.add(r0.rearrange(VMath.X1)).blend(r1.add(r1.rearrange(VMath.X1)), VMath.B1).intoArray(s, 0);
        } else {
            s[REVERSED[0]] = VMath.sum(c00);
            s[REVERSED[1]] = VMath.sum(c01);
            s[REVERSED[2]] = VMath.sum(c02);
            s[REVERSED[3]] = VMath.sum(c03);
            s[REVERSED[4]] = VMath.sum(c10);
            s[REVERSED[5]] = VMath.sum(c11);
            s[REVERSED[6]] = VMath.sum(c12);
            s[REVERSED[7]] = VMath.sum(c13);
            s[REVERSED[8]] = VMath.sum(c20);
            s[REVERSED[9]] = VMath.sum(c21);
            s[REVERSED[10]] = VMath.sum(c22);
            s[REVERSED[11]] = VMath.sum(c23);
            s[REVERSED[12]] = VMath.sum(c30);
            s[REVERSED[13]] = VMath.sum(c31);
            s[REVERSED[14]] = VMath.sum(c32);
            s[REVERSED[15]] = VMath.sum(c33);
        }
        finish(k, bound, a, ao, lda, b, bo, ldb, c, co, ldc, loadC, s);
    }

    /** The scalar tail of a 4 x 4 tile's dot products, then the stores (no vectors here). */
    private static void finish(int k, int from, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                               float[] c, int co, int ldc, boolean loadC, float[] s) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                float t = s[REVERSED[i * 4 + j]];
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
        float s = VMath.sum(acc);
        for (; p < k; p++) {
            s += a[ao + p] * b[bo + p];
        }
        c[co] = loadC ? c[co] + s : s;
    }
}
