package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;

/**
 * The pointwise facade: fused pointwise chains, column sums and block copies over an
 * {@link Exec}'s threads, each in a fixed partition (see {@link ElementwiseTasks}).
 *
 * <p>Shapes: N batch rows, C columns (features).
 */
public interface ElementwiseKernels extends KernelFamily {
    /** An epilogue builder on this backend for an output tensor at {@code base}. */
    default Epilogue.Builder epilogue(int base) {
        return Epilogue.on(backendOf().elementwise(), base);
    }

    /**
     * {@code dst[0, count) = epi(src[0, count))}: copies when the two differ, then runs the
     * epilogue (bound to {@code dst} at {@code dstOff}) chunk by chunk.
     */
    default void pointwise(Exec ex, float[] src, int srcOff, float[] dst, int dstOff, int count, Epilogue epi) {
        ElementwiseTasks.POINTWISE.get(ex, backendOf()).call(ex, src, srcOff, dst, dstOff, count, epi);
    }

    /**
     * {@code dst[C] (+)= column sums of src[N, C]}: the bias gradient of a linear layer.
     * Threads take column ranges, so every sum runs in row order.
     */
    default void sumRows(Exec ex, float[] src, int off, int rows, int cols, float[] dst, int dOff, boolean accumulate) {
        ElementwiseTasks.SUM_ROWS.get(ex, backendOf()).call(ex, src, off, rows, cols, dst, dOff, accumulate);
    }

    /**
     * Copies per-sample blocks: for each of {@code n} samples, {@code len} floats from
     * {@code src} (stride {@code srcStride}) to {@code dst} (stride {@code dstStride}). Concat
     * and its gradient (a slice) are this with different strides and offsets.
     */
    default void copyBlocks(Exec ex, int n, float[] src, int srcOff, int srcStride, float[] dst, int dstOff,
                            int dstStride, int len) {
        for (int b = 0; b < n; b++) {
            System.arraycopy(src, srcOff + b * srcStride, dst, dstOff + b * dstStride, len);
        }
    }
}
