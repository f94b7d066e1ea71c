package nnc.runtime.kernels.act;

import jdk.incubator.vector.FloatVector;
import nnc.runtime.kernels.simd.VMath;

/** {@code relu(x) = max(0, x)}; {@code relu' = y > 0 ? 1 : 0}. */
public final class Relu extends ActivationFunction {
    public Relu() {
        super("relu", "max(0, x)", Init.HE, GradFrom.OUTPUT);
    }

    @Override
    public float apply(float x, float alpha) {
        return x > 0 ? x : 0f;
    }

    @Override
    public float grad(float y, float alpha) {
        return y > 0 ? 1f : 0f;
    }

    @Override
    public double reference(double x, double alpha) {
        return x > 0 ? x : 0;
    }

    @Override
    public double referenceGrad(double y, double alpha) {
        return y > 0 ? 1 : 0;
    }

    @Override
    public VectorLoops vectorLoops() {
        return new Simd();
    }

    private static final class Simd implements VectorLoops {
        @Override
        public int apply(float[] v, int off, int len, float alpha) {
            int bound = VMath.S.loopBound(len);
            for (int i = 0; i < bound; i += VMath.L) {
                FloatVector.fromArray(VMath.S, v, off + i).max(0f).intoArray(v, off + i);
            }
            return bound;
        }

        @Override
        public int grad(float[] v, int off, int len, float[] s, int sOff, float alpha) {
            return LeakyRelu.Simd.gradLoop(v, off, len, s, sOff, 0f);
        }
    }
}
