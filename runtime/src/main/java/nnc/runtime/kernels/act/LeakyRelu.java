package nnc.runtime.kernels.act;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import nnc.runtime.kernels.simd.VMath;

/**
 * {@code leaky_relu(x) = x > 0 ? x : alpha x}; the derivative reads the sign of the output,
 * which is the input's for {@code alpha >= 0} (the compiler rejects a negative alpha).
 */
public final class LeakyRelu extends ActivationFunction {
    public LeakyRelu() {
        super("leaky_relu", "x if x > 0 else alpha * x", Init.HE, GradFrom.OUTPUT, 0.01);
    }

    @Override
    public float apply(float x, float alpha) {
        return x > 0 ? x : alpha * x;
    }

    @Override
    public float grad(float y, float alpha) {
        return y > 0 ? 1f : alpha;
    }

    @Override
    public double reference(double x, double alpha) {
        return x > 0 ? x : alpha * x;
    }

    @Override
    public double referenceGrad(double y, double alpha) {
        return y > 0 ? 1 : alpha;
    }

    @Override
    public VectorLoops vectorLoops() {
        return new Simd();
    }

    /** The vector loops (loaded by the SIMD backend only); {@link #gradLoop} is ReLU's too. */
    static final class Simd implements VectorLoops {
        @Override
        public int apply(float[] v, int off, int len, float alpha) {
            int bound = VMath.S.loopBound(len);
            for (int i = 0; i < bound; i += VMath.L) {
                FloatVector x = FloatVector.fromArray(VMath.S, v, off + i);
                x.blend(x.mul(alpha), x.compare(VectorOperators.LE, 0f)).intoArray(v, off + i);
            }
            return bound;
        }

        @Override
        public int grad(float[] v, int off, int len, float[] s, int sOff, float alpha) {
            return gradLoop(v, off, len, s, sOff, alpha);
        }

        /** {@code v *= (y > 0 ? 1 : alpha)}; alpha = 0 is ReLU's. */
        static int gradLoop(float[] v, int off, int len, float[] s, int sOff, float alpha) {
            int bound = VMath.S.loopBound(len);
            for (int i = 0; i < bound; i += VMath.L) {
                FloatVector y = FloatVector.fromArray(VMath.S, s, sOff + i);
                FloatVector g = FloatVector.fromArray(VMath.S, v, off + i);
                g.blend(g.mul(alpha), y.compare(VectorOperators.LE, 0f)).intoArray(v, off + i);
            }
            return bound;
        }
    }
}
