package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;

/**
 * The optimizer facade: one pass over {@code [0, count)} of the flat parameter, gradient and
 * state arrays, in chunks of {@link OptimizerTask#CHUNK} elements. {@link #sgd}, {@link #adam}
 * and {@link #adamW} are the fused updates (each array read once); the others are the pieces
 * an unfused step runs one pass at a time. Arguments mean what they mean in
 * {@link Optimizers}.
 */
public interface OptimizerKernels extends KernelFamily {
    /** SGD with momentum, Nesterov and L2 weight decay, as {@code torch.optim.SGD}. */
    default void sgd(Exec ex, int count, float[] p, float[] g, float[] buf, float lr, float momentum,
                     float weightDecay, boolean nesterov) {
        task(ex).call(ex, OptimizerTask.Kind.SGD, count, p, g, buf, null, lr, momentum, weightDecay, 0, 0, nesterov, 0, 0);
    }

    /** Adam with L2 weight decay (added to the gradient); {@code bc1 = 1 - beta1^t}, {@code bc2 = 1 - beta2^t}. */
    default void adam(Exec ex, int count, float[] p, float[] g, float[] m, float[] v, float lr, float beta1,
                      float beta2, float eps, float weightDecay, float bc1, float bc2) {
        adam(ex, count, p, g, m, v, lr, beta1, beta2, eps, weightDecay, false, bc1, bc2);
    }

    /** AdamW: Adam with decoupled weight decay, {@code p -= lr * weightDecay * p}. */
    default void adamW(Exec ex, int count, float[] p, float[] g, float[] m, float[] v, float lr, float beta1,
                       float beta2, float eps, float weightDecay, float bc1, float bc2) {
        adam(ex, count, p, g, m, v, lr, beta1, beta2, eps, weightDecay, true, bc1, bc2);
    }

    private void adam(Exec ex, int count, float[] p, float[] g, float[] m, float[] v, float lr, float beta1,
                      float beta2, float eps, float weightDecay, boolean decoupled, float bc1, float bc2) {
        task(ex).call(ex, OptimizerTask.Kind.ADAM, count, p, g, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, bc1,
                bc2);
    }

    /** {@code y += a * x}: weight decay into a gradient, or a plain SGD step. */
    default void axpy(Exec ex, int count, float[] y, float[] x, float a) {
        task(ex).call(ex, OptimizerTask.Kind.AXPY, count, y, x, null, null, a, 0, 0, 0, 0, false, 0, 0);
    }

    /** {@code y *= a}: decoupled weight decay. */
    default void scale(Exec ex, int count, float[] y, float a) {
        task(ex).call(ex, OptimizerTask.Kind.SCALE, count, y, null, null, null, a, 0, 0, 0, 0, false, 0, 0);
    }

    /** {@code buf = momentum * buf + g}. */
    default void momentum(Exec ex, int count, float[] buf, float[] g, float momentum) {
        task(ex).call(ex, OptimizerTask.Kind.MOMENTUM, count, buf, g, null, null, momentum, 0, 0, 0, 0, false, 0, 0);
    }

    /** {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2}. */
    default void adamMoments(Exec ex, int count, float[] m, float[] v, float[] g, float beta1, float beta2) {
        task(ex).call(ex, OptimizerTask.Kind.ADAM_MOMENTS, count, m, v, g, null, beta1, beta2, 0, 0, 0, false, 0, 0);
    }

    /** {@code p -= lr * (m / bc1) / (sqrt(v / bc2) + eps)}. */
    default void adamApply(Exec ex, int count, float[] p, float[] m, float[] v, float lr, float eps, float bc1,
                           float bc2) {
        task(ex).call(ex, OptimizerTask.Kind.ADAM_APPLY, count, p, m, v, null, lr, eps, bc1, bc2, 0, false, 0, 0);
    }

    private OptimizerTask task(Exec ex) {
        return OptimizerTask.SLOT.get(ex, backendOf());
    }
}
