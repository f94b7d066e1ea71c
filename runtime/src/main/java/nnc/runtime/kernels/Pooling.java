package nnc.runtime.kernels;

/**
 * Max and average pooling on NCHW tensors, for a range of samples {@code [b0, b1)}; the
 * epilogue runs on each channel plane of the output (a ReLU gradient after max-pooling
 * backward, say). Twins: {@code scalar.ScalarPooling} and {@code simd.SimdPooling} (2 x 2
 * windows at stride 2 vectorised; it hands other geometries to its scalar twin, and
 * {@link #poolAlgorithm} says so).
 */
public interface Pooling {
    /** Which path {@code g} takes on this backend ("2x2 simd", "scalar"), for profiles. */
    String poolAlgorithm(PoolGeom g);

    void maxPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi);

    /** {@code dx} for samples [b0, b1): each window's gradient goes to its first maximum. */
    void maxPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff,
                         Epilogue epi);

    void avgPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi);

    void avgPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] dx, int dxOff, Epilogue epi);
}
