package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/**
 * The row loop of {@link GemmKernels#predictInputGemm}, and its reusable task for an exec of
 * several threads (an evaluation of 512 rows, say): each thread takes a contiguous share of the
 * rows with a {@link SparseRows} and a sequential exec of its own, so that a share's dense runs
 * do not hand work to threads that are busy with the other shares. A row's result depends on
 * the row alone, so the shares do not change a bit.
 */
final class PredictRows implements Task {
    static final TaskSlot<GemmKernels, PredictRows> SLOT = new TaskSlot<>(PredictRows::new);

    private final GemmKernels k;
    private final SparseRows[] rows;
    private final Exec[] one;
    private TransposedCache weights;
    private int m, n, kk, aOff, lda, bOff, ldb, cOff, ldc;
    private float[] a, b, c;
    private Epilogue epi;

    private PredictRows(Exec ex, GemmKernels k) {
        this.k = k;
        this.rows = new SparseRows[ex.threads()];
        this.one = new Exec[ex.threads()];
        for (int w = 0; w < rows.length; w++) {
            rows[w] = new SparseRows();
            one[w] = Exec.sequential();
        }
    }

    void call(Exec ex, TransposedCache weights, int m, int n, int kk, float[] a, int aOff, int lda, float[] b, int bOff,
              int ldb, float[] c, int cOff, int ldc, Epilogue epi) {
        this.weights = weights;
        this.m = m;
        this.n = n;
        this.kk = kk;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.epi = epi;
        ex.run(Math.min(m, rows.length), this);
        this.a = this.b = this.c = null;
        this.weights = null;
        this.epi = null;
    }

    @Override
    public void run(int index, int worker) {
        int shares = Math.min(m, rows.length);
        int from = (int) ((long) index * m / shares);
        int to = (int) ((long) (index + 1) * m / shares);
        rows(k, one[worker], rows[worker], weights, from, to, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, epi);
    }

    /**
     * Rows {@code [from, to)}: a sparse row from the transposed weights, each run of dense rows
     * by the dense product on {@code ex}.
     */
    static void rows(GemmKernels g, Exec ex, SparseRows rows, TransposedCache weights, int from, int to, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                     Epilogue epi) {
        SparseGemm kernel = g.backendOf().sparse();
        TransposedWeights w = null;
        int dense = from;
        for (int r = from; r < to; r++) {
            if (!rows.build(kernel, a, aOff + r * lda, lda, 1, k)) {
                continue;
            }
            if (r > dense) {
                g.gemm(ex, false, true, r - dense, n, k, a, aOff + dense * lda, lda, b, bOff, ldb, c, cOff + dense * ldc,
                        ldc, false, epi);
            }
            if (w == null) {
                w = weights.get(b, bOff, ldb, n, k);
            }
            kernel.forwardRow(rows, w, c, cOff + r * ldc);
            if (!epi.isEmpty()) {
                epi.apply(c, cOff + r * ldc, n);
            }
            dense = r + 1;
        }
        if (dense < to) {
            g.gemm(ex, false, true, to - dense, n, k, a, aOff + dense * lda, lda, b, bOff, ldb, c, cOff + dense * ldc, ldc,
                    false, epi);
        }
    }
}
