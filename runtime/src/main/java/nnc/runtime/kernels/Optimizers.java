package nnc.runtime.kernels;

/**
 * Parameter updates on a range {@code [off, off + len)} of the flat parameter, gradient and
 * state arrays. The fused forms ({@link #sgd}, {@link #adam}) read and write every array
 * once; the pieces after them are what an unfused step runs one pass at a time.
 */
public interface Optimizers {
    /**
     * SGD with optional momentum, Nesterov and L2 weight decay (added to the gradient), as in
     * {@code torch.optim.SGD}.
     */
    void sgd(float[] p, float[] g, float[] buf, int off, int len,
             float lr, float momentum, boolean nesterov, float weightDecay);

    /**
     * Adam ({@code decoupled == false}: weight decay added to the gradient) or AdamW
     * ({@code decoupled}: {@code p -= lr * wd * p}). {@code bc1 = 1 - beta1^t},
     * {@code bc2 = 1 - beta2^t}.
     */
    void adam(float[] p, float[] g, float[] m, float[] v, int off, int len, float lr,
              float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
              float bc1, float bc2);

    /** {@code y += a * x}: weight decay into a gradient, or a plain SGD step. */
    void axpy(float[] y, float[] x, int off, int len, float a);

    /** {@code y *= a}: decoupled weight decay. */
    void scale(float[] y, int off, int len, float a);

    /** {@code buf = momentum * buf + g}. */
    void momentum(float[] buf, float[] g, int off, int len, float momentum);

    /** {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2}. */
    void adamMoments(float[] m, float[] v, float[] g, int off, int len, float beta1, float beta2);

    /** {@code p -= lr * (m / bc1) / (sqrt(v / bc2) + eps)}. */
    void adamApply(float[] p, float[] m, float[] v, int off, int len, float lr, float eps, float bc1, float bc2);
}
