package nnc.runtime.kernels;

import java.util.Arrays;
import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/** The reusable tasks behind {@link ElementwiseKernels}: a call sets the fields, runs, and drops the arrays. */
final class ElementwiseTasks {
    private ElementwiseTasks() {
    }

    /** Elements per pointwise task: big enough to amortise a hand-off, small enough for L1/L2. */
    static final int POINTWISE_CHUNK = 8192;

    static final TaskSlot<Backend, Pointwise> POINTWISE = new TaskSlot<>((ex, b) -> new Pointwise());
    static final TaskSlot<Backend, SumRows> SUM_ROWS = new TaskSlot<>((ex, b) -> new SumRows(b.elementwise()));

    /** {@code dst = epi(src)} in chunks of {@link #POINTWISE_CHUNK}. */
    static final class Pointwise implements Task {
        private float[] src, dst;
        private int srcOff, dstOff, count;
        private Epilogue epi;

        void call(Exec ex, float[] src, int srcOff, float[] dst, int dstOff, int count, Epilogue epi) {
            this.src = src;
            this.srcOff = srcOff;
            this.dst = dst;
            this.dstOff = dstOff;
            this.count = count;
            this.epi = epi;
            ex.run((count + POINTWISE_CHUNK - 1) / POINTWISE_CHUNK, this);
            this.src = this.dst = null;
            this.epi = null;
        }

        @Override
        public void run(int index, int worker) {
            int start = index * POINTWISE_CHUNK;
            int len = Math.min(POINTWISE_CHUNK, count - start);
            if (src != dst || srcOff != dstOff) {
                System.arraycopy(src, srcOff + start, dst, dstOff + start, len);
            }
            epi.apply(dst, dstOff + start, len);
        }
    }

    /** Column sums of {@code [rows, cols]}, threads taking column ranges (multiples of 16). */
    static final class SumRows implements Task {
        private final Elementwise elt;
        private float[] src, dst;
        private int off, rows, cols, dOff, per;
        private boolean accumulate;

        SumRows(Elementwise elt) {
            this.elt = elt;
        }

        void call(Exec ex, float[] src, int off, int rows, int cols, float[] dst, int dOff, boolean accumulate) {
            this.src = src;
            this.off = off;
            this.rows = rows;
            this.cols = cols;
            this.dst = dst;
            this.dOff = dOff;
            this.accumulate = accumulate;
            int per = Math.max(64, (cols + 4 * ex.threads() - 1) / (4 * ex.threads()));
            this.per = (per + 15) & ~15;
            ex.run((cols + this.per - 1) / this.per, this);
            this.src = this.dst = null;
        }

        @Override
        public void run(int index, int worker) {
            int c0 = index * per;
            int width = Math.min(per, cols - c0);
            if (width == cols) {
                elt.sumRows(src, off, rows, width, dst, dOff, accumulate);
                return;
            }
            // A column range: rows are strided; add row segments with the add kernel.
            if (!accumulate) {
                Arrays.fill(dst, dOff + c0, dOff + c0 + width, 0f);
            }
            for (int r = 0; r < rows; r++) {
                elt.add(dst, dOff + c0, width, src, off + c0 + r * cols);
            }
        }
    }
}
