package nnc.runtime.kernels.simd;

/**
 * Copies blocks of A and B into the k-major panels the micro-kernel reads:
 * A panel {@code ap[p * MR + r]}, B panel {@code bp[p * NR + j]}, zero-padded to full
 * panels. The source may be transposed; packing is where the layout stops mattering.
 */
final class Packing {
    private static final int MR = MicroKernel.MR;
    private static final int NR = MicroKernel.NR;

    private Packing() {
    }

    /** Packs op(A)[ic .. ic+mc, pc .. pc+kc] into ceil(mc / MR) panels of kc x MR. */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (transA) {
                // op(A)[i, p] = A[p * lda + i]: each k step is a contiguous run of rows.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    System.arraycopy(a, src, ap, dst, mr);
                    for (int r = mr; r < MR; r++) {
                        ap[dst + r] = 0f;
                    }
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = a[src + p];
                    }
                }
                for (int r = mr; r < MR; r++) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /** Packs op(B)[pc .. pc+kc, jc .. jc+nc] into ceil(nc / NR) panels of kc x NR. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0);
    }

    /** As {@link #packB(boolean, float[], int, int, int, int, int, int, float[])}, from {@code bp[bpOff]}. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp, int bpOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = bpOff + jr * kc;
            if (transB) {
                // op(B)[p, j] = B[j * ldb + p]: walk each source row once.
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = b[src + p];
                    }
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = 0f;
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    System.arraycopy(b, src, bp, dst, nr);
                    for (int j = nr; j < NR; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            }
        }
    }
}
