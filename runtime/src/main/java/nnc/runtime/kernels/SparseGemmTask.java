package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/**
 * The reusable task behind {@link GemmKernels#inputGemm} and {@link GemmKernels#inputGemmDw}:
 * one block of output features per index ({@link SparseGemm#block}), its epilogue run on the
 * block's segment of each output row before the next block starts.
 */
final class SparseGemmTask implements Task {
    static final TaskSlot<Backend, SparseGemmTask> SLOT = new TaskSlot<>((ex, b) -> new SparseGemmTask(ex, b.sparse()));

    private final Exec ex;
    private final SparseGemm kernel;
    private boolean gradient, accumulate;
    private SparseRows x;
    private int features, bOff, ldb, cOff, ldc;
    private float[] b, c;
    private Epilogue epi;

    private SparseGemmTask(Exec ex, SparseGemm kernel) {
        this.ex = ex;
        this.kernel = kernel;
    }

    /**
     * Forward ({@code gradient == false}: {@code b} is W, {@code c} is y) or weight gradient
     * ({@code b} is dy, {@code c} is dW) over {@code features} output features.
     */
    void call(boolean gradient, SparseRows x, int features, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
              boolean accumulate, Epilogue epi) {
        this.gradient = gradient;
        this.x = x;
        this.features = features;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.accumulate = accumulate;
        this.epi = epi;
        int block = kernel.block();
        ex.run((features + block - 1) / block, this);
        this.x = null;
        this.b = this.c = null;
        this.epi = null;
    }

    @Override
    public void run(int index, int worker) {
        int o0 = index * kernel.block();
        int o1 = Math.min(features, o0 + kernel.block());
        if (gradient) {
            kernel.weightGradient(ex.workspace(worker), x, o0, o1, b, bOff, ldb, c, cOff, ldc, accumulate);
            if (!epi.isEmpty()) {
                for (int o = o0; o < o1; o++) {
                    epi.apply(c, cOff + o * ldc, x.cols());
                }
            }
            return;
        }
        kernel.forward(ex.workspace(worker), x, o0, o1, b, bOff, ldb, c, cOff, ldc);
        if (!epi.isEmpty()) {
            for (int r = 0; r < x.rows(); r++) {
                epi.apply(c, cOff + r * ldc + o0, o1 - o0);
            }
        }
    }
}
