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
        OptimizerTask t = OptimizerTask.SLOT.get(ex, backendOf());
        t.set(OptimizerTask.Kind.SGD, p, g, buf, null);
        t.f0 = lr;
        t.f1 = momentum;
        t.f2 = weightDecay;
        t.flag = nesterov;
        t.call(ex, count);
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
        OptimizerTask t = OptimizerTask.SLOT.get(ex, backendOf());
        t.set(OptimizerTask.Kind.ADAM, p, g, m, v);
        t.f0 = lr;
        t.f1 = beta1;
        t.f2 = beta2;
        t.f3 = eps;
        t.f4 = weightDecay;
        t.flag = decoupled;
        t.f5 = bc1;
        t.f6 = bc2;
        t.call(ex, count);
    }

    /** {@code y += a * x}: weight decay into a gradient, or a plain SGD step. */
    default void axpy(Exec ex, int count, float[] y, float[] x, float a) {
        OptimizerTask t = OptimizerTask.SLOT.get(ex, backendOf());
        t.set(OptimizerTask.Kind.AXPY, y, x, null, null);
        t.f0 = a;
        t.call(ex, count);
    }

    /** {@code y *= a}: decoupled weight decay. */
    default void scale(Exec ex, int count, float[] y, float a) {
        OptimizerTask t = OptimizerTask.SLOT.get(ex, backendOf());
        t.set(OptimizerTask.Kind.SCALE, y, null, null, null);
        t.f0 = a;
        t.call(ex, count);
    }

    /** {@code buf = momentum * buf + g}. */
    default void momentum(Exec ex, int count, float[] buf, float[] g, float momentum) {
        OptimizerTask t = OptimizerTask.SLOT.get(ex, backendOf());
        t.set(OptimizerTask.Kind.MOMENTUM, buf, g, null, null);
        t.f0 = momentum;
        t.call(ex, count);
    }

    /** {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2}. */
    default void adamMoments(Exec ex, int count, float[] m, float[] v, float[] g, float beta1, float beta2) {
        OptimizerTask t = OptimizerTask.SLOT.get(ex, backendOf());
        t.set(OptimizerTask.Kind.ADAM_MOMENTS, m, v, g, null);
        t.f0 = beta1;
        t.f1 = beta2;
        t.call(ex, count);
    }

    /** {@code p -= lr * (m / bc1) / (sqrt(v / bc2) + eps)}. */
    default void adamApply(Exec ex, int count, float[] p, float[] m, float[] v, float lr, float eps, float bc1,
                           float bc2) {
        OptimizerTask t = OptimizerTask.SLOT.get(ex, backendOf());
        t.set(OptimizerTask.Kind.ADAM_APPLY, p, m, v, null);
        t.f0 = lr;
        t.f1 = eps;
        t.f2 = bc1;
        t.f3 = bc2;
        t.call(ex, count);
    }
}
