package nnc.runtime.kernels.simd;

import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.Epilogue;

/**
 * {@code C[M x N] (+)= op(A) . B} with K within one K block, both operands read where they are,
 * nothing packed: the backward products of a fully connected layer, K being the batch or the
 * layer's width.
 *
 * <pre>
 *   TN, dW = dY^T . X:  A stored [K x M], element (i, p) at a[p * lda + i]   (M * K &lt;= MAX_A)
 *   NN, dX = dY . W:    A stored [M x K], element (i, p) at a[i * lda + p]   (M &lt;= SMALL_M)
 *   B stored [K x N]: the panel of columns j..j+NR at step p is b[p * ldb + j ..], NR contiguous
 * </pre>
 *
 * The B panel is already k-major as {@link Packing} would copy it, and the tiles read A's
 * element (row r, step p) at {@code a[ao + r * rowStep + p * kStep]}, so nothing is copied. One
 * column panel at a time (it stays in L1) goes down all the rows (A stays in L2). Full tiles
 * only; the ragged last rows and columns go through {@link SimdGemm#gemmSerial}. Every element
 * of C sums over k in order from zero and is then added to C (or stored), exactly as on the
 * packed path, so the bits are the same. On several
 * threads the product is split into column ranges of whole panels, or row ranges when C is
 * taller than wide (SimdGemm's {@code Split}), so no thread waits on a shared pack. NN with many rows keeps packing B: each B element then
 * serves many tiles.
 *
 * <p>Tiles, with 8 lanes (a Zen 3 core), the MNIST MLP's weight gradients in a throwaway
 * harness (one thread, CPU time, 25th percentile of 30-100 calls, variants alternated in one
 * JVM, quiet rounds): TN 256x784x64 packed 49, in place with 8 x 16 tiles 49-52, with
 * {@link MicroKernel#runSixRows} 58-63 GFLOP/s; TN 128x256x64 49, 52, 67-70. When the host is
 * busy all of them drop to 36-42 and the six-row tile is about 5% behind. Rows outside
 * (A's panel in L1, B streamed) or column blocks of 4-8 panels: no better. Against the packed
 * path by wall time (medians of 8-10 rounds): TN 256x784x64 2 threads 45 -> 58-60, NN
 * 64x256x128 (the second layer's input gradient) 1 thread 51 -> 75, 2 threads 48 -> 70.
 * {@code nnc bench gemm 256 784 64 --layout TN}, jars alternated: 1 thread medians 41.5 -> 60
 * GFLOP/s (5 rounds); 2 threads 76 -> 76 (7 rounds; this path either 66-77 or 120, the
 * packed one 52-89). Column ranges of a quarter of a thread's share instead of one share: no
 * better (slower in training profiles).
 *
 * <p>The rows six-row tiles leave (a multiple of 8 rows is 6s, 6s + 4 or 6s + 8): with A's rows
 * in place, one or two four-row tiles ({@link MicroKernel#runFourRows}, 8 accumulators); the
 * eight-row tile they replace spills on 16 registers and ran at about half the six-row tile's
 * speed (NN 64x256x128, a quarter of whose rows it took: see performance.md, "Sixth AVX2
 * session"). A transposed keeps the eight-row tile, which reads A's columns.
 *
 * <p>With 16 lanes the packed path stays (not measured there).
 */
final class InPlaceGemm {
    private static final int MR = MicroKernel.MR;
    private static final int NR = MicroKernel.NR;

    private InPlaceGemm() {
    }

    /**
     * The most floats of A read in place with A transposed: every column panel reads all of A, so
     * it must stay in L2 (half of a Zen 3 core's 512 KB). Larger products keep the packed path,
     * which blocks A by MC rows (not measured against this one).
     */
    static final int MAX_A = 64 * 1024;

    /** Whether {@code op(A) . op(B)} of this shape runs here. */
    static boolean applies(boolean transA, boolean transB, int m, int n, int k) {
        return MicroKernel.L == 8 && !transB && k > 0 && k <= SimdGemm.KC && m >= MR && n >= NR
            && (transA ? (long) m * k <= MAX_A : m <= SimdGemm.SMALL_M);
    }

    /** The product on one thread; {@link #applies} holds. */
    static void gemm(SimdGemm gemm, Workspace ws, boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        int fullRows = m / MR * MR;
        int fullCols = n / NR * NR;
        int rowStep = transA ? 1 : lda;
        int kStep = transA ? lda : 1;
        // Six-row tiles (12 accumulators, no spill on 16 registers), then the rows they leave
        // (fullRows is a multiple of 8, so 0, 4 or 8 rows, or 0, 8 or 16 in whole 8-row tiles):
        // A's rows in place take four-row tiles (8 accumulators); A transposed, whose rows are
        // not contiguous along k, takes eight-row tiles, which spill.
        int tail = transA ? 8 : 4;
        int rest = switch (fullRows % 6) {
            case 0 -> 0;
            case 2 -> 8;
            default -> transA ? 16 : 4;
        };
        int sixEnd = fullRows - rest;
        for (int j = 0; j < fullCols; j += NR) {
            for (int i = 0; i < sixEnd; i += 6) {
                MicroKernel.runSixRows(k, a, aOff + i * rowStep, rowStep, kStep, b, bOff + j, ldb,
                        c, cOff + i * ldc + j, ldc, accumulate);
            }
            for (int i = sixEnd; i < fullRows; i += tail) {
                int co = cOff + i * ldc + j;
                if (transA) {
                    MicroKernel.run(k, a, aOff + i, lda, b, bOff + j, ldb, c, co, ldc, accumulate);
                } else {
                    MicroKernel.runFourRows(k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, co, ldc, accumulate);
                }
            }
        }
        if (fullCols < n) {
            gemm.gemmSerial(ws, transA, false, fullRows, n - fullCols, k, a, aOff, lda, b, bOff + fullCols, ldb,
                    c, cOff + fullCols, ldc, accumulate, Epilogue.NONE);
        }
        if (!epi.isEmpty()) {
            for (int i = 0; i < fullRows; i++) {
                epi.apply(c, cOff + i * ldc, n);
            }
        }
        if (fullRows < m) {
            int aRest = transA ? aOff + fullRows : aOff + fullRows * lda;
            gemm.gemmSerial(ws, transA, false, m - fullRows, n, k, a, aRest, lda, b, bOff, ldb,
                    c, cOff + fullRows * ldc, ldc, accumulate, epi);
        }
    }
}
