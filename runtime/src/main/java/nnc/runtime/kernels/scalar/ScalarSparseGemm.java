package nnc.runtime.kernels.scalar;

import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.SparseGemm;
import nnc.runtime.kernels.SparseRows;
import nnc.runtime.kernels.TransposedWeights;

/** The reference twin of {@link SparseGemm}: the sums exactly as its table writes them. */
public final class ScalarSparseGemm implements SparseGemm {
    @Override
    public int block() {
        return 64;
    }

    @Override
    public void differing(float[] x, int off, int n, int cBits, long[] bits, int at) {
        for (int w = 0; w < (n + 63) / 64; w++) {
            bits[at + w] = 0;
        }
        for (int j = 0; j < n; j++) {
            if (Float.floatToRawIntBits(x[off + j]) != cBits) {
                bits[at + (j >> 6)] |= 1L << j;
            }
        }
    }

    @Override
    public void forward(Workspace ws, SparseRows x, int o0, int o1, float[] w, int wOff, int ldw, float[] y, int yOff,
                        int ldy) {
        float c = x.background();
        int[] start = x.rowStarts();
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        for (int o = o0; o < o1; o++) {
            int row = wOff + o * ldw;
            float s = 0f;
            for (int i = 0; i < x.cols(); i++) {
                s += w[row + i];
            }
            float cs = c * s;
            for (int r = 0; r < x.rows(); r++) {
                float acc = 0f;
                for (int p = start[r]; p < start[r + 1]; p++) {
                    acc = Math.fma(val[p], w[row + col[p]], acc);
                }
                y[yOff + r * ldy + o] = acc + cs;
            }
        }
    }

    @Override
    public void forwardRow(SparseRows x, TransposedWeights w, float[] y, int yOff) {
        float c = x.background();
        int p0 = x.rowStarts()[0];
        int p1 = x.rowStarts()[1];
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        float[] t = w.values();
        int ld = w.ld();
        for (int o = 0; o < w.out(); o++) {
            float acc = 0f;
            for (int p = p0; p < p1; p++) {
                acc = Math.fma(val[p], t[col[p] * ld + o], acc);
            }
            y[yOff + o] = acc + c * w.sums()[o];
        }
    }

    @Override
    public void weightGradient(Workspace ws, SparseRows x, int o0, int o1, float[] dy, int dyOff, int ldy, float[] dw,
                               int dwOff, int ldw, boolean accumulate) {
        float c = x.background();
        int k = x.cols();
        int[] start = x.rowStarts();
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        float[] acc = ws.floats(Workspace.Buffer.SPARSE_T, k);
        for (int o = o0; o < o1; o++) {
            float g = 0f;
            for (int i = 0; i < k; i++) {
                acc[i] = 0f;
            }
            for (int r = 0; r < x.rows(); r++) {
                float d = dy[dyOff + r * ldy + o];
                g += d;
                for (int p = start[r]; p < start[r + 1]; p++) {
                    acc[col[p]] = Math.fma(val[p], d, acc[col[p]]);
                }
            }
            float cg = c * g;
            int row = dwOff + o * ldw;
            for (int i = 0; i < k; i++) {
                float v = acc[i] + cg;
                dw[row + i] = accumulate ? dw[row + i] + v : v;
            }
        }
    }
}
