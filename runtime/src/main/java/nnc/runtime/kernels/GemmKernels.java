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
}
