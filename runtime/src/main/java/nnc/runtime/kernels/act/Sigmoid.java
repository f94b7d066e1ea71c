package nnc.runtime.kernels.act;

import jdk.incubator.vector.FloatVector;
import nnc.runtime.kernels.simd.VMath;

/**
 * {@code sigmoid(x) = 1 / (1 + exp(-x))}; {@code sigmoid' = y (1 - y)}. The vector form uses
 * {@link VMath#exp} (the same bits in every JIT tier) for every element, tail included.
 */
public final class Sigmoid extends ActivationFunction {
    public Sigmoid() {
        super("sigmoid", "1 / (1 + exp(-x))", Init.GLOROT, GradFrom.OUTPUT);
    }

    @Override
    public float apply(float x, float alpha) {
        return 1f / (1f + (float) Math.exp(-x));
    }

    @Override
    public float grad(float y, float alpha) {
        return y * (1f - y);
    }

    @Override
    public double reference(double x, double alpha) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    public double referenceGrad(double y, double alpha) {
        return y * (1 - y);
    }

    @Override
    public VectorLoops vectorLoops() {
        return new Simd();
    }

    private static final class Simd implements VectorLoops {
        @Override
        public int apply(float[] v, int off, int len, float alpha) {
            VMath.exp(v, off, v, off, len, -1f, 0f, 0f);
            int i = 0;
            for (int bound = VMath.S.loopBound(len); i < bound; i += VMath.L) {
                FloatVector e = FloatVector.fromArray(VMath.S, v, off + i);
                e.broadcast(1f).div(e.add(1f)).intoArray(v, off + i);
            }
            for (; i < len; i++) {
                v[off + i] = 1f / (1f + v[off + i]);
            }
            return len;
        }

        @Override
        public int grad(float[] v, int off, int len, float[] s, int sOff, float alpha) {
            int bound = VMath.S.loopBound(len);
            for (int i = 0; i < bound; i += VMath.L) {
                FloatVector y = FloatVector.fromArray(VMath.S, s, sOff + i);
                FloatVector.fromArray(VMath.S, v, off + i).mul(y.mul(y.neg().add(1f))).intoArray(v, off + i);
            }
            return bound;
        }
    }
}
