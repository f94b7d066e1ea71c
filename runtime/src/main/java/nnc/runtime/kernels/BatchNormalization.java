package nnc.runtime.kernels;

/**
 * The per-channel passes of batch norm on {@code [N, C, inner]} (inner = H*W, or 1 after a
 * linear layer), each for a range of channels {@code [c0, c1)}; {@link SpatialKernels} turns
 * them into training-mode batch norm and its gradient, one channel at a time, so a channel's
 * values are still in cache for its next pass. Twins: {@code scalar.ScalarBatchNorm} and
 * {@code simd.SimdBatchNorm} (vectorised along a channel's positions; with fewer positions than
 * a vector holds it hands the work to its scalar twin, and {@link #batchNormAlgorithm} says so).
 */
public interface BatchNormalization {
    /** Which path {@code inner} positions per channel take on this backend ("simd", "scalar"), for profiles. */
    String batchNormAlgorithm(int inner);

    /** Per-channel sums over samples and positions of {@code src [N, C, inner]}: {@code out[c] = sum(src)}. */
    void channelSums(int n, int channels, int inner, int c0, int c1, float[] src, int off, double[] out);

    /**
     * Per-channel batch statistics of {@code src [N, C, inner]}: {@code mean[c]} and the biased
     * variance {@code variance[c]} (the mean squared deviation from the mean, not the difference
     * of the raw moments, which cancels when the mean is large against the spread).
     */
    void channelMoments(int n, int channels, int inner, int c0, int c1, float[] src, int off, float[] mean,
                        double[] variance);

    /**
     * {@code y = (x - mean[c]) * scale[c] + shift[c]}, the normalisation step of batch norm, then
     * {@code max(y, 0)} when {@code relu} (a ReLU after the batch norm, applied as it stores).
     */
    void channelAffine(int n, int channels, int inner, int c0, int c1, float[] x, int xOff,
                       float[] mean, float[] scale, float[] shift, boolean relu, float[] y, int yOff);

    /**
     * Batch-norm backward, one channel at a time, with the batch statistics of {@code x}
     * recomputed ({@code invstd = 1 / sqrt(variance + eps)}, {@code xhat = (x - mean) * invstd})
     * and {@code gamma} per channel: {@code dx = gamma * invstd * (dy - mean(dy) - xhat *
     * mean(dy * xhat))} (when {@code dx != null}), {@code dgamma[c] = sum(dy * xhat)} (when
     * {@code dgamma != null}) and {@code dbeta[c] = sum(dy)} (when {@code dbeta != null}).
     */
    void batchNormBackward(int n, int channels, int inner, int c0, int c1, float[] dy, int dyOff, float[] x,
                           int xOff, float eps, float[] gamma, int gammaOff, float[] dx,
                           int dxOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff);
}
