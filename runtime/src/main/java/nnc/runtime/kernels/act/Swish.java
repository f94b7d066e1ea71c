package nnc.runtime.kernels.act;

import jdk.incubator.vector.FloatVector;
import nnc.runtime.kernels.simd.VMath;

/**
 * Swish, also called SiLU: {@code swish(x) = x sigmoid(x) = x / (1 + exp(-x))}. Its derivative
 * needs the input: with {@code s = sigmoid(x)}, {@code swish'(x) = s (1 + x (1 - s))}. A smooth
 * ReLU, so layers before it get He initialisation, as for GELU. The vector form takes
 * {@code exp(-x)} from {@link VMath#exp} (the same bits in every JIT tier) for every element.
 */
public final class Swish extends ActivationFunction {
    public Swish() {
        super("swish", "x * sigmoid(x), also called SiLU", Init.HE, GradFrom.INPUT);
    }

    @Override
    public float apply(float x, float alpha) {
        return x / (1f + (float) Math.exp(-x));
    }

    @Override
    public float grad(float x, float alpha) {
        float s = 1f / (1f + (float) Math.exp(-x));
        return s * (1f + x * (1f - s));
    }

    @Override
    public double reference(double x, double alpha) {
        return x / (1 + Math.exp(-x));
    }

    @Override
    public double referenceGrad(double x, double alpha) {
        double s = 1 / (1 + Math.exp(-x));
        return s * (1 + x * (1 - s));
    }

    @Override
    public VectorLoops vectorLoops() {
        return new Simd();
    }

    /** Works in chunks: {@code exp(-x)} of a chunk goes to the per-thread {@link VMath#scratch()}. */
    private static final class Simd implements VectorLoops {
        @Override
        public int apply(float[] v, int off, int len, float alpha) {
            float[] e = VMath.scratch();
            for (int c = 0; c < len; c += VMath.CHUNK) {
                int n = Math.min(VMath.CHUNK, len - c);
                VMath.exp(v, off + c, e, 0, n, -1f, 0f, 0f);
                VMath.divideByOnePlus(v, off + c, e, n);
            }
            return len;
        }

        @Override
        public int grad(float[] v, int off, int len, float[] s, int sOff, float alpha) {
            float[] e = VMath.scratch();
            for (int c = 0; c < len; c += VMath.CHUNK) {
                int n = Math.min(VMath.CHUNK, len - c);
                VMath.exp(s, sOff + c, e, 0, n, -1f, 0f, 0f);
                int j = 0;
                for (int bound = VMath.S.loopBound(n); j < bound; j += VMath.L) {
                    FloatVector x = FloatVector.fromArray(VMath.S, s, sOff + c + j);
                    FloatVector sig = x.broadcast(1f).div(FloatVector.fromArray(VMath.S, e, j).add(1f));
                    FloatVector d = x.mul(sig.neg().add(1f)).add(1f).mul(sig);
                    FloatVector.fromArray(VMath.S, v, off + c + j).mul(d).intoArray(v, off + c + j);
                }
                for (; j < n; j++) {
                    float x = s[sOff + c + j];
                    float sig = 1f / (1f + e[j]);
                    v[off + c + j] *= (x * (1f - sig) + 1f) * sig;
                }
            }
            return len;
        }
    }
}
