package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.DropoutMask;
import nnc.runtime.kernels.Elementwise;

/**
 * Pointwise kernels on {@code FloatVector}: a full-width main loop and one masked tail.
 * Checked against {@code ScalarElementwise} by the contract suite.
 */
public final class SimdElementwise implements Elementwise {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static final float GELU_C = 0.7978845608028654f;
    private static final float GELU_K = 0.044715f;

    // Loops run whole vectors, then a scalar tail. A masked tail would be shorter code, but a
    // masked access whose vector reaches past the end of the array takes the JDK's
    // lane-by-lane path, which can allocate on every call.

    @Override
    public void bias(float[] v, int off, int len, int idx, float[] b, int bOff, int inner, int channels) {
        int i = 0;
        if (inner == 1) {
            // Runs of consecutive channels: v[off+i..] += b[c..].
            while (i < len) {
                int c = (idx + i) % channels;
                int run = Math.min(len - i, channels - c);
                addInto(v, off + i, run, b, bOff + c);
                i += run;
            }
        } else {
            // Runs of one channel: v[off+i..] += b[c].
            while (i < len) {
                int e = idx + i;
                int c = (e / inner) % channels;
                int run = Math.min(len - i, inner - e % inner);
                addScalar(v, off + i, run, b[bOff + c]);
                i += run;
            }
        }
    }

    private static void addInto(float[] v, int off, int len, float[] s, int sOff) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, v, off + i).add(FloatVector.fromArray(S, s, sOff + i)).intoArray(v, off + i);
        }
        for (; i < len; i++) {
            v[off + i] += s[sOff + i];
        }
    }

    private static void addScalar(float[] v, int off, int len, float x) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, v, off + i).add(x).intoArray(v, off + i);
        }
        for (; i < len; i++) {
            v[off + i] += x;
        }
    }

    @Override
    public void batchNorm(float[] v, int off, int len, int idx, float[] p, int gammaOff, int betaOff, int meanOff,
                          int varOff, float eps, int inner, int channels) {
        int i = 0;
        while (i < len) {
            int e = idx + i;
            int c = (e / inner) % channels;
            int run = inner == 1 ? 1 : Math.min(len - i, inner - e % inner);
            float scale = p[gammaOff + c] / (float) Math.sqrt(p[varOff + c] + eps);
            float mean = p[meanOff + c];
            float beta = p[betaOff + c];
            int j = 0;
            for (int bound = S.loopBound(run); j < bound; j += L) {
                FloatVector.fromArray(S, v, off + i + j).sub(mean).mul(scale).add(beta).intoArray(v, off + i + j);
            }
            for (; j < run; j++) {
                v[off + i + j] = (v[off + i + j] - mean) * scale + beta;
            }
            i += run;
        }
    }

    // Each activation has its own loop, and no vector crosses a method call: a helper that
    // takes or returns a vector is boxed whenever C2 declines to inline it.

    @Override
    public void act(Act act, float alpha, float[] v, int off, int len) {
        int done = switch (act) {
            case IDENTITY -> len;
            case RELU -> relu(v, off, len);
            case LEAKY_RELU -> leakyRelu(v, off, len, alpha);
            case SIGMOID -> sigmoid(v, off, len);
            case TANH -> tanh(v, off, len);
            case GELU -> gelu(v, off, len);
        };
        for (int i = done; i < len; i++) {
            v[off + i] = act.apply(v[off + i], alpha);
        }
    }

    /** The vector loops return how many elements they did; the caller finishes in scalar code. */
    private static int relu(float[] v, int off, int len) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, v, off + i).max(0f).intoArray(v, off + i);
        }
        return bound;
    }

    private static int leakyRelu(float[] v, int off, int len, float alpha) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, v, off + i);
            x.blend(x.mul(alpha), x.compare(VectorOperators.LE, 0f)).intoArray(v, off + i);
        }
        return bound;
    }

    // Sigmoid, tanh and GELU go through VMath.exp (the same bits in every JIT tier, unlike
    // lanewise EXP/TANH) and do every element, tails included, with the same formulas:
    //   sigmoid(x) = 1 / (1 + exp(-x))
    //   tanh(x)    = -m / (2 + m),  m = expm1(-2x)   (exact near 0, +-1 far out)
    //   gelu(x)    = 0.5 x (1 + tanh(u)) = x / (1 + exp(-2u)),  u = C (x + K x^3)

    private static int sigmoid(float[] v, int off, int len) {
        VMath.exp(v, off, v, off, len, -1f, 0f, 0f);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, v, off + i);
            e.broadcast(1f).div(e.add(1f)).intoArray(v, off + i);
        }
        for (; i < len; i++) {
            v[off + i] = 1f / (1f + v[off + i]);
        }
        return len;
    }

    private static int tanh(float[] v, int off, int len) {
        VMath.exp(v, off, v, off, len, -2f, 0f, 1f);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector m = FloatVector.fromArray(S, v, off + i);
            m.neg().div(m.add(2f)).intoArray(v, off + i);
        }
        for (; i < len; i++) {
            v[off + i] = -v[off + i] / (2f + v[off + i]);
        }
        return len;
    }

    /** GELU works in chunks: exp(-2u) of a chunk goes to a per-thread scratch buffer. */
    private static final int CHUNK = 512;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

    /** {@code e[j] = exp(-2 C (x + K x^3))} for {@code x = v[off + j]}, j < n. */
    private static void geluExp(float[] v, int off, int n, float[] e) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector x = FloatVector.fromArray(S, v, off + j);
            x.mul(x).mul(x).mul(GELU_K).add(x).intoArray(e, j);
        }
        for (; j < n; j++) {
            float x = v[off + j];
            e[j] = x * x * x * GELU_K + x;
        }
        VMath.exp(e, 0, e, 0, n, -2f * GELU_C, 0f, 0f);
    }

    private static int gelu(float[] v, int off, int len) {
        float[] e = SCRATCH.get();
        for (int c = 0; c < len; c += CHUNK) {
            int n = Math.min(CHUNK, len - c);
            int o = off + c;
            geluExp(v, o, n, e);
            int j = 0;
            for (int bound = S.loopBound(n); j < bound; j += L) {
                FloatVector x = FloatVector.fromArray(S, v, o + j);
                x.div(FloatVector.fromArray(S, e, j).add(1f)).intoArray(v, o + j);
            }
            for (; j < n; j++) {
                v[o + j] = v[o + j] / (1f + e[j]);
            }
        }
        return len;
    }

    @Override
    public void actGrad(Act act, float alpha, float[] v, int off, int len, float[] s, int sOff) {
        int done = switch (act) {
            case IDENTITY -> len;
            case RELU -> leakyReluGrad(v, off, len, s, sOff, 0f);
            case LEAKY_RELU -> leakyReluGrad(v, off, len, s, sOff, alpha);
            case SIGMOID -> sigmoidGrad(v, off, len, s, sOff);
            case TANH -> tanhGrad(v, off, len, s, sOff);
            case GELU -> geluGrad(v, off, len, s, sOff);
        };
        for (int i = done; i < len; i++) {
            v[off + i] *= act.grad(s[sOff + i], alpha);
        }
    }

    /** v *= (s > 0 ? 1 : alpha); alpha = 0 is ReLU. */
    private static int leakyReluGrad(float[] v, int off, int len, float[] s, int sOff, float alpha) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = FloatVector.fromArray(S, s, sOff + i);
            FloatVector g = FloatVector.fromArray(S, v, off + i);
            g.blend(g.mul(alpha), y.compare(VectorOperators.LE, 0f)).intoArray(v, off + i);
        }
        return bound;
    }

    private static int sigmoidGrad(float[] v, int off, int len, float[] s, int sOff) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = FloatVector.fromArray(S, s, sOff + i);
            FloatVector.fromArray(S, v, off + i).mul(y.mul(y.neg().add(1f))).intoArray(v, off + i);
        }
        return bound;
    }

    private static int tanhGrad(float[] v, int off, int len, float[] s, int sOff) {
        int bound = S.loopBound(len);
        for (int i = 0; i < bound; i += L) {
            FloatVector y = FloatVector.fromArray(S, s, sOff + i);
            FloatVector.fromArray(S, v, off + i).mul(y.mul(y).neg().add(1f)).intoArray(v, off + i);
        }
        return bound;
    }

    /**
     * With {@code g = sigmoid(2u)}: {@code 0.5 (1 + tanh u) = g} and {@code 1 - tanh^2 u =
     * 4 g (1 - g)}, so {@code gelu'(x) = g + 2 x g (1 - g) C (1 + 3 K x^2)}.
     */
    private static int geluGrad(float[] v, int off, int len, float[] s, int sOff) {
        float[] e = SCRATCH.get();
        for (int c = 0; c < len; c += CHUNK) {
            int n = Math.min(CHUNK, len - c);
            geluExp(s, sOff + c, n, e);
            int j = 0;
            for (int bound = S.loopBound(n); j < bound; j += L) {
                FloatVector x = FloatVector.fromArray(S, s, sOff + c + j);
                FloatVector g = x.broadcast(1f).div(FloatVector.fromArray(S, e, j).add(1f));
                FloatVector d = x.mul(2f * GELU_C).mul(g).mul(g.neg().add(1f)).mul(x.mul(x).mul(3f * GELU_K).add(1f)).add(g);
                FloatVector.fromArray(S, v, off + c + j).mul(d).intoArray(v, off + c + j);
            }
            for (; j < n; j++) {
                float x = s[sOff + c + j];
                float g = 1f / (1f + e[j]);
                v[off + c + j] *= x * (2f * GELU_C) * g * (1f - g) * (x * x * (3f * GELU_K) + 1f) + g;
            }
        }
        return len;
    }

    @Override
    public void add(float[] v, int off, int len, float[] s, int sOff) {
        addInto(v, off, len, s, sOff);
    }

    @Override
    public void dropout(float[] v, int off, int len, int idx, int key, int threshold, float scale) {
        IntVector iota = IntVector.zero(IS).addIndex(1);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            // The vector form of DropoutMask.hash; lanes hold consecutive element indices.
            IntVector h = iota.add(idx + i).mul(DropoutMask.GOLDEN).add(key);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(0x7feb352d);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 15)).mul(0x846ca68b);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
            VectorMask<Float> keep = h.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(S);
            FloatVector x = FloatVector.fromArray(S, v, off + i).mul(scale);
            x.blend(0f, keep.not()).intoArray(v, off + i);
        }
        for (; i < len; i++) {
            v[off + i] = DropoutMask.keep(key, idx + i, threshold) ? v[off + i] * scale : 0f;
        }
    }

    @Override
    public void scale(float[] v, int off, int len, float s) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, v, off + i).mul(s).intoArray(v, off + i);
        }
        for (; i < len; i++) {
            v[off + i] *= s;
        }
    }

    @Override
    public void sumRows(float[] src, int off, int rows, int cols, float[] dst, int dOff, boolean accumulate) {
        int j = 0;
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector s = accumulate ? FloatVector.fromArray(S, dst, dOff + j) : FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                s = s.add(FloatVector.fromArray(S, src, off + r * cols + j));
            }
            s.intoArray(dst, dOff + j);
        }
        for (; j < cols; j++) {
            float s = accumulate ? dst[dOff + j] : 0f;
            for (int r = 0; r < rows; r++) {
                s += src[off + r * cols + j];
            }
            dst[dOff + j] = s;
        }
    }

    @Override
    public float sum(float[] src, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, src, off + i));
        }
        float s = VMath.sum(acc);
        for (; i < len; i++) {
            s += src[off + i];
        }
        return s;
    }
}
