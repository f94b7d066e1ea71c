package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;

/** The GEMM facade: one call per matrix product; the backend's {@link Gemm} splits it over threads. */
public interface GemmKernels extends KernelFamily {
    /** {@code C[m, n] (+)= op(A)[m, k] . op(B)[k, n]}, then {@code epi}; see {@link Gemm}. */
    default void gemm(Exec ex, boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        backendOf().gemm().gemm(ex, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
    }

    /**
     * The forward product of a linear layer on the model input in a training step,
     * {@code C[m, n] = A[m, k] . B[n, k]^T} then {@code epi}, like
     * {@code gemm(ex, false, true, ...)}: when most entries of A hold one value, {@code rows}
     * takes A in ({@link SparseRows}) and the product runs over the entries that differ
     * ({@link SparseGemm}); otherwise it is that dense product.
     */
    default void inputGemm(Exec ex, SparseRows rows, int m, int n, int k, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue epi) {
        if (!rows.build(backendOf().sparse(), a, aOff, lda, m, k)) {
            gemm(ex, false, true, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, false, epi);
            return;
        }
        SparseGemmTask.SLOT.get(ex, backendOf()).call(false, rows, n, b, bOff, ldb, c, cOff, ldc, false, epi);
    }

    /**
     * The forward product of a linear layer on the model input at inference,
     * {@code C[m, n] = A[m, k] . B[n, k]^T} then {@code epi}, like
     * {@code gemm(ex, false, true, ...)}, decided row by row: a row most of whose entries hold
     * its first value (an image's black pixels) is taken in alone ({@link SparseRows} of one
     * row) and multiplied from {@code weights}' layout of B over the entries that differ, which
     * reads a fifth of the weights for an MNIST digit; every other row, in runs, takes the dense
     * product. Each row's choice and sums depend on that row alone, so a sample gets the same
     * bits in any batch, and on several threads each takes a share of the rows
     * ({@link PredictRows}). {@code rows} is scratch of the calling thread.
     */
    default void predictInputGemm(Exec ex, SparseRows rows, TransposedCache weights, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, Epilogue epi) {
        if (k < SparseRows.MIN_ROW_COLS) {
            gemm(ex, false, true, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, false, epi);
            return;
        }
        if (ex.threads() == 1 || m == 1) {
            PredictRows.rows(this, ex, rows, weights, 0, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, epi);
            return;
        }
        PredictRows.SLOT.get(ex, this).call(ex, weights, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, epi);
    }

    /**
     * The weight gradient of that layer, {@code C[m, n] (+)= A[k, m]^T . B[k, n]} then
     * {@code epi}, like {@code gemm(ex, true, false, ...)} with B the same input: over
     * {@code rows}' entries when its last {@link #inputGemm} took in B at this array, offset and
     * shape ({@link SparseRows#holds}: B must not have changed since), else dense.
     */
    default void inputGemmDw(Exec ex, SparseRows rows, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate,
                             Epilogue epi) {
        if (!rows.holds(b, bOff, ldb, k, n)) {
            gemm(ex, true, false, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
            return;
        }
        SparseGemmTask.SLOT.get(ex, backendOf()).call(true, rows, m, a, aOff, lda, c, cOff, ldc, accumulate, epi);
    }
}
