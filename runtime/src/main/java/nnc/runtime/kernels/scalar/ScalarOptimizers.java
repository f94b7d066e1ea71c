package nnc.runtime.kernels.scalar;

import nnc.runtime.kernels.Optimizers;

/** Reference optimizer updates, element by element, in the order torch.optim documents. */
public final class ScalarOptimizers implements Optimizers {
    @Override
    public void sgd(float[] p, float[] g, float[] buf, int off, int len,
                    float lr, float momentum, boolean nesterov, float weightDecay) {
        for (int i = off; i < off + len; i++) {
            float d = g[i] + weightDecay * p[i];
            if (momentum != 0f) {
                buf[i] = momentum * buf[i] + d;
                d = nesterov ? d + momentum * buf[i] : buf[i];
            }
            p[i] -= lr * d;
        }
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, int off, int len, float lr,
                     float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
                     float bc1, float bc2) {
        float invBc2Sqrt = (float) (1.0 / Math.sqrt(bc2));
        float step = lr / bc1;
        for (int i = off; i < off + len; i++) {
            float gi = g[i];
            if (decoupled) {
                p[i] -= lr * weightDecay * p[i];
            } else {
                gi += weightDecay * p[i];
            }
            m[i] = beta1 * m[i] + (1f - beta1) * gi;
            v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
            p[i] -= step * m[i] / ((float) Math.sqrt(v[i]) * invBc2Sqrt + eps);
        }
    }

    @Override
    public void axpy(float[] y, float[] x, int off, int len, float a) {
        for (int i = off; i < off + len; i++) {
            y[i] += a * x[i];
        }
    }

    @Override
    public void scale(float[] y, int off, int len, float a) {
        for (int i = off; i < off + len; i++) {
            y[i] *= a;
        }
    }

    @Override
    public void momentum(float[] buf, float[] g, int off, int len, float momentum) {
        for (int i = off; i < off + len; i++) {
            buf[i] = momentum * buf[i] + g[i];
        }
    }

    @Override
    public void adamMoments(float[] m, float[] v, float[] g, int off, int len, float beta1, float beta2) {
        for (int i = off; i < off + len; i++) {
            m[i] = beta1 * m[i] + (1f - beta1) * g[i];
            v[i] = beta2 * v[i] + (1f - beta2) * g[i] * g[i];
        }
    }

    @Override
    public void adamApply(float[] p, float[] m, float[] v, int off, int len, float lr, float eps,
                          float bc1, float bc2) {
        float invBc2Sqrt = (float) (1.0 / Math.sqrt(bc2));
        float step = lr / bc1;
        for (int i = off; i < off + len; i++) {
            p[i] -= step * m[i] / ((float) Math.sqrt(v[i]) * invBc2Sqrt + eps);
        }
    }
}
