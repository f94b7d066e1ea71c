package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Workspace;

/**
 * Matrix multiply with the three layouts backprop needs, all row-major:
 *
 * <pre>
 *   C[m, n] (+)= op(A)[m, k] . op(B)[k, n]
 *   op(A)[i, p] = transA ? A[p * lda + i] : A[i * lda + p]
 *   op(B)[p, j] = transB ? B[j * ldb + p] : B[p * ldb + j]
 * </pre>
 *
 * Forward of a linear layer is {@code X . W^T} (transB), its input gradient {@code dY . W},
 * its weight gradient {@code dY^T . X} (transA). With {@code accumulate} the product is added
 * to C. The epilogue runs on every finished block of C (rows of up to a block's width), so
 * bias, activation, residual add and dropout are applied before the block leaves cache.
 */
public interface Gemm {
    void gemm(Exec ex, boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi);

    /** The same product on the calling thread only, for kernels that are already parallel. */
    void gemmSerial(Workspace ws, boolean transA, boolean transB, int m, int n, int k,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi);
}
