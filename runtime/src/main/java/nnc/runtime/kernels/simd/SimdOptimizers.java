package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.Optimizers;
import nnc.runtime.kernels.scalar.ScalarOptimizers;

/**
 * Optimizer updates on {@code FloatVector}: whole vectors, then the last few elements by the
 * scalar twin (no masked tail: a masked access reaching past the array's end can allocate).
 */
public final class SimdOptimizers implements Optimizers {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ScalarOptimizers TAIL = new ScalarOptimizers();

    @Override
    public void sgd(float[] p, float[] g, float[] buf, int off, int len,
                    float lr, float momentum, boolean nesterov, float weightDecay) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            int o = off + i;
            FloatVector pv = FloatVector.fromArray(S, p, o);
            FloatVector d = pv.mul(weightDecay).add(FloatVector.fromArray(S, g, o));
            if (momentum != 0f) {
                FloatVector b = FloatVector.fromArray(S, buf, o).mul(momentum).add(d);
                b.intoArray(buf, o);
                d = nesterov ? b.mul(momentum).add(d) : b;
            }
            pv.sub(d.mul(lr)).intoArray(p, o);
        }
        TAIL.sgd(p, g, buf, off + bound, len - bound, lr, momentum, nesterov, weightDecay);
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, int off, int len, float lr,
                     float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
                     float bc1, float bc2) {
        float invBc2Sqrt = (float) (1.0 / Math.sqrt(bc2));
        float step = lr / bc1;
        float keep = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            int o = off + i;
            FloatVector pv = FloatVector.fromArray(S, p, o);
            FloatVector gv = pv.mul(l2).add(FloatVector.fromArray(S, g, o));
            FloatVector mv = FloatVector.fromArray(S, m, o).mul(beta1).add(gv.mul(1f - beta1));
            FloatVector vv = FloatVector.fromArray(S, v, o).mul(beta2).add(gv.mul(gv).mul(1f - beta2));
            mv.intoArray(m, o);
            vv.intoArray(v, o);
            FloatVector denom = vv.sqrt().mul(invBc2Sqrt).add(eps);
            pv.mul(keep).sub(mv.mul(step).div(denom)).intoArray(p, o);
        }
        TAIL.adam(p, g, m, v, off + bound, len - bound, lr, beta1, beta2, eps, weightDecay, decoupled, bc1, bc2);
    }

    @Override
    public void axpy(float[] y, float[] x, int off, int len, float a) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(a).add(FloatVector.fromArray(S, y, off + i)).intoArray(y, off + i);
        }
        TAIL.axpy(y, x, off + bound, len - bound, a);
    }

    @Override
    public void scale(float[] y, int off, int len, float a) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, y, off + i).mul(a).intoArray(y, off + i);
        }
        TAIL.scale(y, off + bound, len - bound, a);
    }

    @Override
    public void momentum(float[] buf, float[] g, int off, int len, float momentum) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, buf, off + i).mul(momentum).add(FloatVector.fromArray(S, g, off + i))
                    .intoArray(buf, off + i);
        }
        TAIL.momentum(buf, g, off + bound, len - bound, momentum);
    }

    @Override
    public void adamMoments(float[] m, float[] v, float[] g, int off, int len, float beta1, float beta2) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            int o = off + i;
            FloatVector gv = FloatVector.fromArray(S, g, o);
            FloatVector.fromArray(S, m, o).mul(beta1).add(gv.mul(1f - beta1)).intoArray(m, o);
            FloatVector.fromArray(S, v, o).mul(beta2).add(gv.mul(gv).mul(1f - beta2)).intoArray(v, o);
        }
        TAIL.adamMoments(m, v, g, off + bound, len - bound, beta1, beta2);
    }

    @Override
    public void adamApply(float[] p, float[] m, float[] v, int off, int len, float lr, float eps, float bc1, float bc2) {
        float invBc2Sqrt = (float) (1.0 / Math.sqrt(bc2));
        float step = lr / bc1;
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            int o = off + i;
            FloatVector pv = FloatVector.fromArray(S, p, o);
            FloatVector denom = FloatVector.fromArray(S, v, o).sqrt().mul(invBc2Sqrt).add(eps);
            pv.sub(FloatVector.fromArray(S, m, o).mul(step).div(denom)).intoArray(p, o);
        }
        TAIL.adamApply(p, m, v, off + bound, len - bound, lr, eps, bc1, bc2);
    }
}
