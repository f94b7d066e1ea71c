package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.Optimizers;

/** Optimizer updates on {@code FloatVector}: one pass per call, a masked tail. */
public final class SimdOptimizers implements Optimizers {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    @Override
    public void sgd(float[] p, float[] g, float[] buf, int off, int len,
                    float lr, float momentum, boolean nesterov, float weightDecay) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            int o = off + i;
            FloatVector pv = FloatVector.fromArray(S, p, o, m);
            FloatVector d = pv.mul(weightDecay).add(FloatVector.fromArray(S, g, o, m));
            if (momentum != 0f) {
                FloatVector b = FloatVector.fromArray(S, buf, o, m).mul(momentum).add(d);
                b.intoArray(buf, o, m);
                d = nesterov ? b.mul(momentum).add(d) : b;
            }
            pv.sub(d.mul(lr)).intoArray(p, o, m);
        }
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, int off, int len, float lr,
                     float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
                     float bc1, float bc2) {
        float invBc2Sqrt = (float) (1.0 / Math.sqrt(bc2));
        float step = lr / bc1;
        float keep = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> k = S.indexInRange(i, len);
            int o = off + i;
            FloatVector pv = FloatVector.fromArray(S, p, o, k);
            FloatVector gv = pv.mul(l2).add(FloatVector.fromArray(S, g, o, k));
            FloatVector mv = FloatVector.fromArray(S, m, o, k).mul(beta1).add(gv.mul(1f - beta1));
            FloatVector vv = FloatVector.fromArray(S, v, o, k).mul(beta2).add(gv.mul(gv).mul(1f - beta2));
            mv.intoArray(m, o, k);
            vv.intoArray(v, o, k);
            FloatVector denom = vv.sqrt().mul(invBc2Sqrt).add(eps);
            pv.mul(keep).sub(mv.mul(step).div(denom)).intoArray(p, o, k);
        }
    }

    @Override
    public void axpy(float[] y, float[] x, int off, int len, float a) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, x, off + i, m).mul(a).add(FloatVector.fromArray(S, y, off + i, m))
                    .intoArray(y, off + i, m);
        }
    }

    @Override
    public void scale(float[] y, int off, int len, float a) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, y, off + i, m).mul(a).intoArray(y, off + i, m);
        }
    }

    @Override
    public void momentum(float[] buf, float[] g, int off, int len, float momentum) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, buf, off + i, m).mul(momentum).add(FloatVector.fromArray(S, g, off + i, m))
                    .intoArray(buf, off + i, m);
        }
    }

    @Override
    public void adamMoments(float[] m, float[] v, float[] g, int off, int len, float beta1, float beta2) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> k = S.indexInRange(i, len);
            int o = off + i;
            FloatVector gv = FloatVector.fromArray(S, g, o, k);
            FloatVector.fromArray(S, m, o, k).mul(beta1).add(gv.mul(1f - beta1)).intoArray(m, o, k);
            FloatVector.fromArray(S, v, o, k).mul(beta2).add(gv.mul(gv).mul(1f - beta2)).intoArray(v, o, k);
        }
    }

    @Override
    public void adamApply(float[] p, float[] m, float[] v, int off, int len, float lr, float eps,
                          float bc1, float bc2) {
        float invBc2Sqrt = (float) (1.0 / Math.sqrt(bc2));
        float step = lr / bc1;
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> k = S.indexInRange(i, len);
            int o = off + i;
            FloatVector pv = FloatVector.fromArray(S, p, o, k);
            FloatVector denom = FloatVector.fromArray(S, v, o, k).sqrt().mul(invBc2Sqrt).add(eps);
            pv.sub(FloatVector.fromArray(S, m, o, k).mul(step).div(denom)).intoArray(p, o, k);
        }
    }
}
