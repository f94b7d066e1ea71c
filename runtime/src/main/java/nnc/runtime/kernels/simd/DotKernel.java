package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A . B^T} for row-major A [M, K] and B [N, K] without packing: both operands are
 * contiguous along K, so each element of C is a dot product of two rows. A tile of C keeps one
 * vector accumulator per element over K and reduces each to a scalar once at the end. This is
 * the linear layer's forward pass at training batch sizes, where packing the weight matrix
 * would cost a third of the multiply.
 *
 * <p>The tile depends on the register file. With 512-bit vectors (32 registers) a 4 x 4 tile:
 * 16 accumulators, 4 + 4 loads feed 16 fused multiply-adds per step. With 256-bit vectors
 * (AVX2: 16 registers) that tile spills, so a 2 x 6 tile: 12 accumulators, the 2 rows of A
 * held and 6 rows of B streamed (15 registers), measured at 58-65 GFLOP/s on one core against
 * 41-46 for 4 x 4 and 48-59 for 2 x 4. Either way every element of C is the same sum in the
 * same order ({@link VMath#sum}'s tree, then the scalar tail), so the tile shape does not
 * change a bit of the result.
 */
final class DotKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private DotKernel() {
    }

    /** Where the 4 x 4 tile leaves the sum of accumulator n (row-major): n bit-reversed. */
    private static final int[] REVERSED = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

    /**
     * C[i0..i0+4, j0..j0+4] (+)= A[i0.., :k] . B[j0.., :k]^T for 16-lane vectors, with {@code s} (16 floats)
     * as scratch for the sums (sum n at {@code REVERSED[n]}). The vector loop is unmasked and
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
        finish(k, bound, a, ao, lda, 4, b, bo, ldb, 4, 4, REVERSED, c, co, ldc, loadC, s);
    }

    /** Where the 2 x 6 tile leaves the sum of accumulator n (row-major): see {@link #tile2x6}. */
    private static final int[] REVERSED12 = {0, 4, 2, 6, 1, 5, 3, 7, 8, 12, 10, 14};

    /**
     * C[i0..i0+rows, j0..j0+cols] (+)= A[i0.., :k] . B[j0.., :k]^T for {@code rows <= 2} and
     * {@code cols <= 6}: the rows and columns past the edge repeat the last valid one and are
     * not stored, so an edge costs a full tile instead of a slower kernel. {@code s} (16
     * floats) is scratch for the sums. The 12 lane sums are combined in place, each in
     * {@link VMath#sum}'s order for 8 lanes (lanes i and i ^ h added for h = 4, 2, 1): at each
     * level a pair of vectors merges (lanes with bit h set from the second), 8 accumulators
     * into one vector and the last 4 into a second; sum n lands at {@code REVERSED12[n]}.
     */
    static void tile2x6(int k, float[] a, int ao, int lda, int rows, float[] b, int bo, int ldb, int cols,
                        float[] c, int co, int ldc, boolean loadC, float[] s) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S), c04 = FloatVector.zero(S), c05 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S), c14 = FloatVector.zero(S), c15 = FloatVector.zero(S);
        int a1 = rows > 1 ? ao + lda : ao;
        int last = cols - 1;
        int b1 = bo + Math.min(1, last) * ldb;
        int b2 = bo + Math.min(2, last) * ldb;
        int b3 = bo + Math.min(3, last) * ldb;
        int b4 = bo + Math.min(4, last) * ldb;
        int b5 = bo + Math.min(5, last) * ldb;
        int bound = S.loopBound(k);
        for (int p = 0; p < bound; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, ao + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector w = FloatVector.fromArray(S, b, bo + p);
            c00 = x0.fma(w, c00);
            c10 = x1.fma(w, c10);
            w = FloatVector.fromArray(S, b, b1 + p);
            c01 = x0.fma(w, c01);
            c11 = x1.fma(w, c11);
            w = FloatVector.fromArray(S, b, b2 + p);
            c02 = x0.fma(w, c02);
            c12 = x1.fma(w, c12);
            w = FloatVector.fromArray(S, b, b3 + p);
            c03 = x0.fma(w, c03);
            c13 = x1.fma(w, c13);
            w = FloatVector.fromArray(S, b, b4 + p);
            c04 = x0.fma(w, c04);
            c14 = x1.fma(w, c14);
            w = FloatVector.fromArray(S, b, b5 + p);
            c05 = x0.fma(w, c05);
            c15 = x1.fma(w, c15);
        }
        FloatVector p0 = c00.add(c00.rearrange(VMath.X4)).blend(c01.add(c01.rearrange(VMath.X4)), VMath.B4);
        FloatVector p1 = c02.add(c02.rearrange(VMath.X4)).blend(c03.add(c03.rearrange(VMath.X4)), VMath.B4);
        FloatVector p2 = c04.add(c04.rearrange(VMath.X4)).blend(c05.add(c05.rearrange(VMath.X4)), VMath.B4);
        FloatVector p3 = c10.add(c10.rearrange(VMath.X4)).blend(c11.add(c11.rearrange(VMath.X4)), VMath.B4);
        FloatVector p4 = c12.add(c12.rearrange(VMath.X4)).blend(c13.add(c13.rearrange(VMath.X4)), VMath.B4);
        FloatVector p5 = c14.add(c14.rearrange(VMath.X4)).blend(c15.add(c15.rearrange(VMath.X4)), VMath.B4);
        FloatVector q0 = p0.add(p0.rearrange(VMath.X2)).blend(p1.add(p1.rearrange(VMath.X2)), VMath.B2);
        FloatVector q1 = p2.add(p2.rearrange(VMath.X2)).blend(p3.add(p3.rearrange(VMath.X2)), VMath.B2);
        FloatVector q2 = p4.add(p4.rearrange(VMath.X2)).blend(p5.add(p5.rearrange(VMath.X2)), VMath.B2);
        q0.add(q0.rearrange(VMath.X1)).blend(q1.add(q1.rearrange(VMath.X1)), VMath.B1).intoArray(s, 0);
        q2.add(q2.rearrange(VMath.X1)).intoArray(s, L);
        finish(k, bound, a, ao, a1 - ao, rows, b, bo, ldb, cols, 6, REVERSED12, c, co, ldc, loadC, s);
    }

    /** Where the 1 x 8 tile leaves the sum of accumulator n: see {@link #tile1x8}. */
    private static final int[] SPREAD8 = spread8();

    private static int[] spread8() {
        int[] where = new int[8];
        for (int n = 0; n < 8; n++) {
            // Accumulators merge in pairs at lane bit log2(L) - 1 first, then the bits below it.
            int top = Integer.numberOfTrailingZeros(L) - 1;
            where[n] = ((n & 1) << top) | (((n >> 1) & 1) << (top - 1)) | (((n >> 2) & 1) << (top - 2));
        }
        return where;
    }

    /**
     * C[i, j0..j0+cols] (+)= A[i, :k] . B[j0.., :k]^T for one row of A and {@code cols <= 8}:
     * a prediction of one sample. Each step loads one vector of A and eight of B for eight
     * independent multiply-adds, where a lone dot product would wait on its own accumulator
     * and a two-row tile would compute a duplicate row. Columns past the edge repeat the
     * last valid one and are not stored. The eight lane sums are combined as in
     * {@link #tile2x6} (8 or 16 lanes), each in {@link VMath#sum}'s order, so a row gets the
     * same bits here as in any other tile.
     */
    static void tile1x8(int k, float[] a, int ao, float[] b, int bo, int ldb, int cols,
                        float[] c, int co, boolean loadC, float[] s) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        int last = cols - 1;
        int b1 = bo + Math.min(1, last) * ldb;
        int b2 = bo + Math.min(2, last) * ldb;
        int b3 = bo + Math.min(3, last) * ldb;
        int b4 = bo + Math.min(4, last) * ldb;
        int b5 = bo + Math.min(5, last) * ldb;
        int b6 = bo + Math.min(6, last) * ldb;
        int b7 = bo + Math.min(7, last) * ldb;
        int bound = S.loopBound(k);
        for (int p = 0; p < bound; p += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + p);
            c0 = x.fma(FloatVector.fromArray(S, b, bo + p), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, b1 + p), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, b2 + p), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, b3 + p), c3);
            c4 = x.fma(FloatVector.fromArray(S, b, b4 + p), c4);
            c5 = x.fma(FloatVector.fromArray(S, b, b5 + p), c5);
            c6 = x.fma(FloatVector.fromArray(S, b, b6 + p), c6);
            c7 = x.fma(FloatVector.fromArray(S, b, b7 + p), c7);
        }
        VectorShuffle<Float> h1 = L == 16 ? VMath.X8 : VMath.X4;
        VectorShuffle<Float> h2 = L == 16 ? VMath.X4 : VMath.X2;
        VectorShuffle<Float> h3 = L == 16 ? VMath.X2 : VMath.X1;
        VectorMask<Float> m1 = L == 16 ? VMath.B8 : VMath.B4;
        VectorMask<Float> m2 = L == 16 ? VMath.B4 : VMath.B2;
        VectorMask<Float> m3 = L == 16 ? VMath.B2 : VMath.B1;
        FloatVector p0 = c0.add(c0.rearrange(h1)).blend(c1.add(c1.rearrange(h1)), m1);
        FloatVector p1 = c2.add(c2.rearrange(h1)).blend(c3.add(c3.rearrange(h1)), m1);
        FloatVector p2 = c4.add(c4.rearrange(h1)).blend(c5.add(c5.rearrange(h1)), m1);
        FloatVector p3 = c6.add(c6.rearrange(h1)).blend(c7.add(c7.rearrange(h1)), m1);
        FloatVector q0 = p0.add(p0.rearrange(h2)).blend(p1.add(p1.rearrange(h2)), m2);
        FloatVector q1 = p2.add(p2.rearrange(h2)).blend(p3.add(p3.rearrange(h2)), m2);
        FloatVector r = q0.add(q0.rearrange(h3)).blend(q1.add(q1.rearrange(h3)), m3);
        if (L == 16) {
            r = r.add(r.rearrange(VMath.X1));
        }
        r.intoArray(s, 0);
        finish(k, bound, a, ao, 0, 1, b, bo, ldb, cols, 8, SPREAD8, c, co, 0, loadC, s);
    }

    /**
     * The scalar tail of a tile's dot products (terms {@code from..k}), then the stores of its
     * first {@code rows x cols} elements; the sum of element (i, j) is at
     * {@code s[where[i * width + j]]}. No vectors here.
     */
    private static void finish(int k, int from, float[] a, int ao, int lda, int rows, float[] b, int bo, int ldb,
                               int cols, int width, int[] where, float[] c, int co, int ldc, boolean loadC, float[] s) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float t = s[where[i * width + j]];
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
