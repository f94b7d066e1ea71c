package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner product: an MR x NR tile of C held in MR * 2 vector registers
 * (8 x 32 floats with 512-bit vectors, 8 x 16 with 256-bit ones). Each k step loads two
 * vectors of the B panel, broadcasts MR values of the A panel and issues MR * 2 fused
 * multiply-adds.
 *
 * <p>With 256-bit vectors (AVX2, 16 registers) the 16 accumulators + 2 B vectors + 1
 * broadcast do not fit, yet this tile measured faster on a Zen 3 core than the tiles that fit:
 * in place (TN 256x784x64, one thread) 41-52 GFLOP/s against 34-41 for 6 x 16 and 33-38 for
 * 12 x 8; alone on packed panels 52-55 against 43-44 for 6 x 16 (performance.md, AVX2). The
 * six-row tile as {@link #runSixRows} is today (loops split by k step) measured faster with
 * both operands in place and a short K: TN 256x784x64 58-63 against 49-52 ({@link InPlaceGemm}).
 */
final class MicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 8;
    static final int NR = 2 * L;

    private MicroKernel() {
    }

    /**
     * C[MR x NR] at {@code c[co]} (stride ldc) = (loadC ? C : 0) + Apanel . Bpanel over kc. The A
     * panel holds MR values per k, {@code aStep} apart (MR when packed); the B panel's rows are
     * {@code bStride} apart: NR when packed, the matrix's row length when B is read in place.
     */
    static void run(int kc, float[] ap, int ao, int aStep, float[] bp, int bo, int bStride, float[] c, int co, int ldc,
                    boolean loadC) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            bo += bStride;
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            ao += aStep;
        }
        // Stores stay in this method: a vector passed to a helper that C2 does not inline is
        // boxed on the heap, which costs five times the arithmetic.
        if (loadC) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, co + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(S, c, co + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, co + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(S, c, co + 7 * ldc + L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + L);
    }

    /**
     * The same tile with A read in place, row by row: row {@code r} of the tile is
     * {@code a[ao + r * lda ..]} (k contiguous), where {@link #run} reads a packed panel: for
     * Winograd's forward pass, whose transformed input is laid out tile by tile.
     */
    static void runRows(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bStride, float[] c, int co, int ldc,
                        boolean loadC) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int a1 = ao + lda, a2 = ao + 2 * lda, a3 = ao + 3 * lda;
        int a4 = ao + 4 * lda, a5 = ao + 5 * lda, a6 = ao + 6 * lda, a7 = ao + 7 * lda;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            bo += bStride;
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (loadC) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, co + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(S, c, co + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, co + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(S, c, co + 7 * ldc + L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + L);
    }

    /**
     * A 6 x NR tile with A's element (row r, step k) at {@code a[ao + r * lda + k * kStep]}: in
     * place row by row as {@link #runRows} ({@code kStep} 1) or packed as {@link #run}
     * ({@code lda} 1). With 8 lanes (AVX2, 16 registers) its 12 accumulators, two B vectors and
     * a broadcast fit the registers where the 8-row tile spills. Winograd's short products
     * (K = C, 32 or 64) on a Zen 3 core ran 10-25% faster with it (performance.md, AVX2). Each
     * element sums over k in the same order as {@link #runRows}.
     */
    static void runSixRows(int kc, float[] a, int ao, int lda, int kStep, float[] bp, int bo, int bStride, float[] c,
                           int co, int ldc, boolean loadC) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int a1 = ao + lda, a2 = ao + 2 * lda, a3 = ao + 3 * lda;
        int a4 = ao + 4 * lda, a5 = ao + 5 * lda;
        // Two copies of the loop: indexed by p itself (k step 1, the forward's rows in place), C2
        // hoists the six loads' bounds checks out of the loop; with a second induction variable
        // it cannot, and the forward and backward-data products ran 10-13% slower.
        if (kStep == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bo);
                FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
                bo += bStride;
                FloatVector x;
                x = FloatVector.broadcast(S, a[ao + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[a1 + p]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[a2 + p]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[a3 + p]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, a[a4 + p]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, a[a5 + p]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
            }
        } else {
            for (int p = 0, k = 0; p < kc; p++, k += kStep) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bo);
                FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
                bo += bStride;
                FloatVector x;
                x = FloatVector.broadcast(S, a[ao + k]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[a1 + k]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[a2 + k]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[a3 + k]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, a[a4 + k]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, a[a5 + k]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
            }
        }
        if (loadC) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
    }

    /**
     * A 4 x NR tile with A read in place row by row ({@code a[ao + r * lda + p]}), for the rows
     * that six-row tiles leave ({@link InPlaceGemm}): the 8-row tile spills on 16 registers and
     * ran at about half the six-row tile's speed there. Each element sums over k in the same
     * order as {@link #runRows}.
     */
    static void runFourRows(int kc, float[] a, int ao, int lda, float[] bp, int bo, int bStride, float[] c, int co,
                            int ldc, boolean loadC) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int a1 = ao + lda, a2 = ao + 2 * lda, a3 = ao + 3 * lda;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            bo += bStride;
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        if (loadC) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
    }
}
