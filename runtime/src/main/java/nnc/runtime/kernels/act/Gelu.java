package nnc.runtime.kernels.act;

import jdk.incubator.vector.FloatVector;
import nnc.runtime.kernels.simd.VMath;

/**
 * GELU, the tanh approximation (PyTorch's {@code approximate='tanh'}):
 * {@code gelu(x) = 0.5 x (1 + tanh(u))}, {@code u = C (x + K x^3)}. Its derivative needs the
 * input. The vector form writes it as {@code x / (1 + exp(-2u))} with {@link VMath#exp}, and
 * with {@code g = sigmoid(2u)}: {@code gelu'(x) = g + 2 x g (1 - g) C (1 + 3 K x^2)}.
 */
public final class Gelu extends ActivationFunction {
    /** sqrt(2 / pi). */
    static final double C = Math.sqrt(2 / Math.PI);
    static final double K = 0.044715;
    private static final float C_F = (float) C;
    private static final float K_F = (float) K;

    public Gelu() {
        super("gelu", "x * Phi(x), tanh approximation", Init.HE, GradFrom.INPUT);
    }

    @Override
    public float apply(float x, float alpha) {
        return 0.5f * x * (1f + (float) Math.tanh(C_F * (x + K_F * x * x * x)));
    }

    @Override
    public float grad(float x, float alpha) {
        float t = (float) Math.tanh(C_F * (x + K_F * x * x * x));
        return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * C_F * (1f + 3f * K_F * x * x);
    }

    @Override
    public double reference(double x, double alpha) {
        return 0.5 * x * (1 + Math.tanh(C * (x + K * x * x * x)));
    }

    @Override
    public double referenceGrad(double x, double alpha) {
        double t = Math.tanh(C * (x + K * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * K * x * x);
    }

    @Override
    public VectorLoops vectorLoops() {
        return new Simd();
    }

    /** Works in chunks: {@code exp(-2u)} of a chunk goes to the per-thread {@link VMath#scratch()}. */
    private static final class Simd implements VectorLoops {
        /** {@code e[j] = exp(-2 C (x + K x^3))} for {@code x = v[off + j]}, j < n. */
        private static void expMinus2u(float[] v, int off, int n, float[] e) {
            int j = 0;
            for (int bound = VMath.S.loopBound(n); j < bound; j += VMath.L) {
                FloatVector x = FloatVector.fromArray(VMath.S, v, off + j);
                x.mul(x).mul(x).mul(K_F).add(x).intoArray(e, j);
            }
            for (; j < n; j++) {
                float x = v[off + j];
                e[j] = x * x * x * K_F + x;
            }
            VMath.exp(e, 0, e, 0, n, -2f * C_F, 0f, 0f);
        }

        @Override
        public int apply(float[] v, int off, int len, float alpha) {
            float[] e = VMath.scratch();
            for (int c = 0; c < len; c += VMath.CHUNK) {
                int n = Math.min(VMath.CHUNK, len - c);
                expMinus2u(v, off + c, n, e);
                VMath.divideByOnePlus(v, off + c, e, n);
            }
            return len;
        }

        @Override
        public int grad(float[] v, int off, int len, float[] s, int sOff, float alpha) {
            float[] e = VMath.scratch();
            for (int c = 0; c < len; c += VMath.CHUNK) {
                int n = Math.min(VMath.CHUNK, len - c);
                expMinus2u(s, sOff + c, n, e);
                int j = 0;
                for (int bound = VMath.S.loopBound(n); j < bound; j += VMath.L) {
                    FloatVector x = FloatVector.fromArray(VMath.S, s, sOff + c + j);
                    FloatVector g = x.broadcast(1f).div(FloatVector.fromArray(VMath.S, e, j).add(1f));
                    FloatVector d = x.mul(2f * C_F).mul(g).mul(g.neg().add(1f)).mul(x.mul(x).mul(3f * K_F).add(1f)).add(g);
                    FloatVector.fromArray(VMath.S, v, off + c + j).mul(d).intoArray(v, off + c + j);
                }
                for (; j < n; j++) {
                    float x = s[sOff + c + j];
                    float g = 1f / (1f + e[j]);
                    v[off + c + j] *= x * (2f * C_F) * g * (1f - g) * (x * x * (3f * K_F) + 1f) + g;
                }
            }
            return len;
        }
    }
}
