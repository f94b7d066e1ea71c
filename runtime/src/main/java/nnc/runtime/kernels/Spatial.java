package nnc.runtime.kernels;

import nnc.runtime.exec.Workspace;

/**
 * Convolution, pooling and batch-normalisation kernels on NCHW tensors. Each works on a
 * range of samples {@code [b0, b1)} of the batch (arrays hold the whole batch at the given
 * offsets); {@link Kernels} splits a batch over threads and calls these on the pieces.
 */
public interface Spatial {
    /** {@code y = conv(x, w)} for samples [b0, b1), then the epilogue on each sample's output. */
    void convForward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff,
                     float[] y, int yOff, Epilogue epi);

    /**
     * How {@link #convForward} computes {@code g} on this backend ("direct", "im2col+gemm", ...):
     * a rule on the shape alone, so every run of a model takes the same path.
     */
    default String convAlgorithm(ConvGeom g) {
        return "reference";
    }

    /** {@code dx = conv_transpose(dy, w)} for samples [b0, b1), then the epilogue on each dx. */
    void convBackwardData(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] w, int wOff,
                          float[] dx, int dxOff, Epilogue epi);

    /**
     * The weight gradient of samples [b0, b1), transposed: {@code dwT [C*KH*KW, O] += sum of
     * im2col(x_b) . dy_b^T}. Transposed because K = C*KH*KW rows times O columns over OH*OW
     * terms is the shape the packed GEMM is fast at; {@link Kernels} transposes back when it
     * adds up the per-thread partials.
     */
    void convBackwardWeights(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                             float[] dw, int dwOff);

    /** Pooling of samples [b0, b1); the epilogue runs on each channel plane of the output. */
    void maxPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi);

    /**
     * {@code dx} for samples [b0, b1): each window's gradient goes to its first maximum; the
     * epilogue runs on each channel plane of {@code dx} (a ReLU gradient, say).
     */
    void maxPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff,
                         Epilogue epi);

    void avgPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi);

    void avgPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] dx, int dxOff, Epilogue epi);

    /**
     * Per-channel sums over samples and positions of {@code src [N, C, inner]}, for channels
     * [c0, c1): {@code out[c] = sum(src)} and, when {@code squares != null}, the sum of
     * squared deviations from {@code mean[c]} into {@code squares[c]}.
     */
    void channelSums(int n, int channels, int inner, int c0, int c1, float[] src, int off,
                     double[] out, float[] mean, double[] squares);

    /**
     * {@code y = (x - mean[c]) * scale[c] + shift[c]} for channels [c0, c1) of
     * {@code [N, C, inner]}: the normalisation step of batch norm.
     */
    void channelAffine(int n, int channels, int inner, int c0, int c1, float[] x, int xOff,
                       float[] mean, float[] scale, float[] shift, float[] y, int yOff);

    /**
     * Batch-norm backward for channels [c0, c1), given {@code mean}, {@code invstd},
     * {@code gamma} per channel: {@code dx = gamma * invstd * (dy - mean(dy) - xhat * mean(dy * xhat))}
     * and {@code dgamma[c] = sum(dy * xhat)} (when {@code dgamma != null}).
     */
    void batchNormBackward(int n, int channels, int inner, int c0, int c1, float[] dy, int dyOff, float[] x,
                           int xOff, float[] mean, float[] invstd, float[] gamma, int gammaOff, float[] dx,
                           int dxOff, float[] dgamma, int dgOff);
}
