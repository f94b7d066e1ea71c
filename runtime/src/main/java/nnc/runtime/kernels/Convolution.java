package nnc.runtime.kernels;

import nnc.runtime.exec.Workspace;

/**
 * Convolution kernels on NCHW tensors. Each works on a range of samples {@code [b0, b1)} of
 * the batch (arrays hold the whole batch at the given offsets); {@link SpatialKernels} splits
 * a batch over threads and calls these on the pieces. Twins: {@code scalar.ScalarConv} (direct
 * loops, the reference) and {@code simd.SimdConv} (im2col + the packed GEMM).
 *
 * <pre>
 *   N batch, C in channels, O out channels, H x W input, OH x OW output, KH x KW kernel
 * </pre>
 */
public interface Convolution {
    /** {@code y = conv(x, w)} for samples [b0, b1), then the epilogue on each sample's output. */
    void convForward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff,
                     float[] y, int yOff, Epilogue epi);

    /**
     * How {@link #convForward} computes {@code g} on this backend ("im2col+gemm", "reference",
     * ...): a rule on the shape alone, so every run of a model takes the same path. Profiles
     * show it.
     */
    String convAlgorithm(ConvGeom g);

    /** {@code dx = conv_transpose(dy, w)} for samples [b0, b1), then the epilogue on each dx. */
    void convBackwardData(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] w, int wOff,
                          float[] dx, int dxOff, Epilogue epi);

    /**
     * The weight gradient of samples [b0, b1), transposed: {@code dwT [C*KH*KW, O] += sum of
     * im2col(x_b) . dy_b^T}. Transposed because K = C*KH*KW rows times O columns over OH*OW
     * terms is the shape the packed GEMM is fast at; {@link SpatialKernels} transposes back when
     * it adds up the per-thread partials.
     */
    void convBackwardWeights(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                             float[] dw, int dwOff);
}
