package nnc.runtime.kernels;

import nnc.runtime.exec.Workspace;

/**
 * The two products of a linear layer whose input is a {@link SparseRows} (background {@code c},
 * entries {@code v = x - c}), for the output features {@code [o0, o1)}:
 *
 * <pre>
 *   forward   y[r, o]  = (sum over row r's entries p of v_p * W[o, col_p]) + c * s_o
 *             s_o      = W[o, 0] + W[o, 1] + ... + W[o, k-1]
 *   gradient  dW[o, i] (+)= (sum over column i's entries p, by row, of v_p * dy[row_p, o]) + c * g_o
 *             g_o      = dy[0, o] + dy[1, o] + ... + dy[rows-1, o]
 * </pre>
 *
 * Every sum runs in the order written from +0, the entries' terms as fused multiply-adds, so the
 * twins agree bit for bit and no element depends on how the features are split into blocks.
 * With {@code accumulate} the gradient is added to {@code dW}.
 */
public interface SparseGemm {
    /** Output features per block: what one task computes. */
    int block();

    /**
     * Bit {@code j % 64} of {@code bits[at + j / 64]} set when the bits of {@code x[off + j]}
     * differ from {@code cBits}, clear otherwise, for {@code j < n} (the bits past n clear).
     */
    void differing(float[] x, int off, int n, int cBits, long[] bits, int at);

    /** {@link #differing(float[], int, int, int, long[], int)} into {@code bits} from its start. */
    default void differing(float[] x, int off, int n, int cBits, long[] bits) {
        differing(x, off, n, cBits, bits, 0);
    }

    /** {@code y[r * ldy + o]} for every row r and {@code o} in {@code [o0, o1)}; W is {@code [out, k]} at {@code ldw}. */
    void forward(Workspace ws, SparseRows x, int o0, int o1, float[] w, int wOff, int ldw, float[] y, int yOff,
                 int ldy);

    /**
     * The forward product of the first row of {@code x} alone, from W laid out as
     * {@link TransposedWeights}: {@code y[yOff + o]} for every {@code o < w.out()}, with the bits
     * {@link #forward} gives that row. Prediction's path: a row's entries read
     * {@code entries x out} weights, not all {@code k x out}.
     */
    void forwardRow(SparseRows x, TransposedWeights w, float[] y, int yOff);

    /** {@code dw[o * ldw + i]} for {@code o} in {@code [o0, o1)} and every column i; dy is {@code [rows, out]} at {@code ldy}. */
    void weightGradient(Workspace ws, SparseRows x, int o0, int o1, float[] dy, int dyOff, int ldy, float[] dw,
                        int dwOff, int ldw, boolean accumulate);
}
