package nnc.runtime.kernels;

/**
 * Pointwise kernels on one contiguous segment {@code v[off, off + len)}. They are the steps
 * of an {@link Epilogue}; {@code idx} is the index of {@code v[off]} in its tensor (bias
 * channel and dropout mask derive from it). Two twins: {@code simd.SimdElementwise} and
 * {@code scalar.ScalarElementwise}.
 */
public interface Elementwise {
    /** {@code v[i] += b[bOff + ((idx + i) / inner) % channels]} — per-feature or per-channel bias. */
    void bias(float[] v, int off, int len, int idx, float[] b, int bOff, int inner, int channels);

    /**
     * Batch norm with running statistics, per channel {@code c = ((idx + i) / inner) % channels}:
     * {@code v = (v - mean[c]) * gamma[c] / sqrt(var[c] + eps) + beta[c]}, the four vectors in
     * {@code p} at the given offsets.
     */
    void batchNorm(float[] v, int off, int len, int idx, float[] p, int gammaOff, int betaOff, int meanOff,
                   int varOff, float eps, int inner, int channels);

    /** {@code v[i] = act(v[i])}. */
    void act(Act act, float alpha, float[] v, int off, int len);

    /** {@code v[i] *= act'(s[sOff + i])}; {@code s} is the output, or the input for GELU. */
    void actGrad(Act act, float alpha, float[] v, int off, int len, float[] s, int sOff);

    /** {@code v[i] += s[sOff + i]}. */
    void add(float[] v, int off, int len, float[] s, int sOff);

    /** {@code v[i] = keep(key, idx + i) ? v[i] * scale : 0} with {@link DropoutMask}. */
    void dropout(float[] v, int off, int len, int idx, int key, int threshold, float scale);

    /** {@code v[i] *= s}. */
    void scale(float[] v, int off, int len, float s);

    /**
     * Column sums: {@code dst[dOff + j] (+)= sum over r of src[off + r * cols + j]}.
     * The bias gradient of a linear layer.
     */
    void sumRows(float[] src, int off, int rows, int cols, float[] dst, int dOff, boolean accumulate);

    /** {@code sum over i of src[off + i]}, accumulated in the order a twin documents. */
    float sum(float[] src, int off, int len);
}
