package nnc.runtime.kernels.scalar;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.Gemm;

/**
 * The reference GEMM: for each row of C, the sum over k in increasing order, then the
 * epilogue on the row. The loop order (i, p, j) keeps the inner loop contiguous in B and C,
 * so it is usable — slowly — when the Vector API is missing.
 */
public final class ScalarGemm implements Gemm {
    @Override
    public void gemm(Exec ex, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        int rowsPerTask = Math.max(1, (m + 4 * ex.threads() - 1) / (4 * ex.threads()));
        int tasks = (m + rowsPerTask - 1) / rowsPerTask;
        Task t = (i, w) -> {
            int r0 = i * rowsPerTask;
            int r1 = Math.min(m, r0 + rowsPerTask);
            rows(r0, r1, transA, transB, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
        };
        ex.run(tasks, t);
    }

    @Override
    public void gemmSerial(Workspace ws, boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        rows(0, m, transA, transB, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
    }

    private static void rows(int r0, int r1, boolean transA, boolean transB, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        for (int i = r0; i < r1; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bOff + j * ldb + p];
                    }
                } else {
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
            if (!epi.isEmpty()) {
                epi.apply(c, ci, n);
            }
        }
    }
}
