package nnc.runtime.kernels;

/**
 * Loss kernels on a range of rows {@code [r0, r1)} of an {@code [n, cols]} output.
 * Each writes its partial sums to {@code out[0]} (loss summed over the rows) and
 * {@code out[1]} (rows predicted right, for classification); the caller adds partials in a
 * fixed order. Gradients (when {@code g != null}) are scaled by {@code scale}, which is
 * {@code 1 / n} for a mean over the batch. Targets are floats: class indices for
 * cross-entropy, values for the others.
 */
public interface Losses {
    /** Softmax and cross-entropy in one pass: {@code g = (softmax(x) - onehot(label)) * scale}. */
    void softmaxCrossEntropy(float[] x, int xOff, int r0, int r1, int cols, float[] t, int tOff,
                             float[] g, int gOff, float scale, float[] out);

    /** {@code y = softmax(x)} per row. */
    void softmax(float[] x, int xOff, int r0, int r1, int cols, float[] y, int yOff);

    /** {@code dx = y * (dy - sum(dy * y))} per row: the gradient through softmax. */
    void softmaxGrad(float[] dy, int dyOff, float[] y, int yOff, int r0, int r1, int cols, float[] dx, int dxOff);

    /** Negative log-likelihood of probabilities: {@code -log(max(p[label], EPS))}. */
    void nll(float[] p, int pOff, int r0, int r1, int cols, float[] t, int tOff,
             float[] g, int gOff, float scale, float[] out);

    /** Binary cross-entropy on logits (a sigmoid folded in), numerically stable. */
    void sigmoidBinaryCrossEntropy(float[] x, int xOff, int r0, int r1, int cols, float[] t, int tOff,
                                   float[] g, int gOff, float scale, float[] out);

    /** Binary cross-entropy on probabilities, clamped to [EPS, 1 - EPS]. */
    void binaryCrossEntropy(float[] p, int pOff, int r0, int r1, int cols, float[] t, int tOff,
                            float[] g, int gOff, float scale, float[] out);

    /** Mean squared error, averaged over the columns of each row. */
    void meanSquaredError(float[] y, int yOff, int r0, int r1, int cols, float[] t, int tOff,
                          float[] g, int gOff, float scale, float[] out);

    /** The clamp used by {@link #nll} and {@link #binaryCrossEntropy}. */
    float EPS = 1e-7f;
}
