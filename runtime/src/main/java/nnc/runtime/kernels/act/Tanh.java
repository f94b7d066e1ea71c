package nnc.runtime.kernels.act;

import jdk.incubator.vector.FloatVector;
import nnc.runtime.kernels.simd.VMath;

/**
 * {@code tanh(x)}; {@code tanh' = 1 - y^2}. The vector form is {@code -m / (2 + m)} with
 * {@code m = expm1(-2x)} from {@link VMath#exp} (exact near 0, +-1 far out), for every element.
 */
public final class Tanh extends ActivationFunction {
    public Tanh() {
        super("tanh", "tanh(x)", Init.GLOROT, GradFrom.OUTPUT);
    }

    @Override
    public float apply(float x, float alpha) {
        return (float) Math.tanh(x);
    }

    @Override
    public float grad(float y, float alpha) {
        return 1f - y * y;
    }

    @Override
    public double reference(double x, double alpha) {
        return Math.tanh(x);
    }

    @Override
    public double referenceGrad(double y, double alpha) {
        return 1 - y * y;
    }

    @Override
    public VectorLoops vectorLoops() {
        return new Simd();
    }

    private static final class Simd implements VectorLoops {
        @Override
        public int apply(float[] v, int off, int len, float alpha) {
            VMath.exp(v, off, v, off, len, -2f, 0f, 1f);
            int i = 0;
            for (int bound = VMath.S.loopBound(len); i < bound; i += VMath.L) {
                FloatVector m = FloatVector.fromArray(VMath.S, v, off + i);
                m.neg().div(m.add(2f)).intoArray(v, off + i);
            }
            for (; i < len; i++) {
                v[off + i] = -v[off + i] / (2f + v[off + i]);
            }
            return len;
        }

        @Override
        public int grad(float[] v, int off, int len, float[] s, int sOff, float alpha) {
            int bound = VMath.S.loopBound(len);
            for (int i = 0; i < bound; i += VMath.L) {
                FloatVector y = FloatVector.fromArray(VMath.S, s, sOff + i);
                FloatVector.fromArray(VMath.S, v, off + i).mul(y.mul(y).neg().add(1f)).intoArray(v, off + i);
            }
            return bound;
        }
    }
}
