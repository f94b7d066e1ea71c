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

    @Override
    public void batchNorm(float[] v, int off, int len, int idx, float[] p, int gammaOff, int betaOff, int meanOff,
                          int varOff, float eps, int inner, int channels) {
        int i = 0;
        while (i < len) {
            int e = idx + i;
            int c = (e / inner) % channels;
            int run = inner == 1 ? 1 : Math.min(len - i, inner - e % inner);
            float scale = p[gammaOff + c] / (float) Math.sqrt(p[varOff + c] + eps);
            if (run == 1) {
                v[off + i] = (v[off + i] - p[meanOff + c]) * scale + p[betaOff + c];
            } else {
                float mean = p[meanOff + c];
                float beta = p[betaOff + c];
                int j = 0;
                for (int bound = S.loopBound(run); j < bound; j += L) {
                    FloatVector.fromArray(S, v, off + i + j).sub(mean).mul(scale).add(beta).intoArray(v, off + i + j);
                }
                for (; j < run; j++) {
                    v[off + i + j] = (v[off + i + j] - mean) * scale + beta;
                }
            }
            i += run;
        }
    }

    private static void addInto(float[] v, int off, int len, float[] s, int sOff) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, v, off + i).add(FloatVector.fromArray(S, s, sOff + i))
                    .intoArray(v, off + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, v, off + i, m).add(FloatVector.fromArray(S, s, sOff + i, m))
                    .intoArray(v, off + i, m);
        }
    }

    private static void addScalar(float[] v, int off, int len, float x) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, v, off + i).add(x).intoArray(v, off + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, v, off + i, m).add(x).intoArray(v, off + i, m);
        }
    }

    @Override
    public void act(Act act, float alpha, float[] v, int off, int len) {
        if (act == Act.IDENTITY) {
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            apply(act, alpha, FloatVector.fromArray(S, v, off + i)).intoArray(v, off + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            apply(act, alpha, FloatVector.fromArray(S, v, off + i, m)).intoArray(v, off + i, m);
        }
    }

    static FloatVector apply(Act act, float alpha, FloatVector x) {
        return switch (act) {
            case IDENTITY -> x;
            case RELU -> x.max(0f);
            case LEAKY_RELU -> x.blend(x.mul(alpha), x.compare(VectorOperators.LE, 0f));
            case SIGMOID -> sigmoid(x);
            case TANH -> x.lanewise(VectorOperators.TANH);
            case GELU -> {
                FloatVector u = x.mul(x).mul(x).mul(GELU_K).add(x).mul(GELU_C);
                yield x.mul(0.5f).mul(u.lanewise(VectorOperators.TANH).add(1f));
            }
        };
    }

    static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    @Override
    public void actGrad(Act act, float alpha, float[] v, int off, int len, float[] s, int sOff) {
        if (act == Act.IDENTITY) {
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector d = grad(act, alpha, FloatVector.fromArray(S, s, sOff + i));
            FloatVector.fromArray(S, v, off + i).mul(d).intoArray(v, off + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector d = grad(act, alpha, FloatVector.fromArray(S, s, sOff + i, m));
            FloatVector.fromArray(S, v, off + i, m).mul(d).intoArray(v, off + i, m);
        }
    }

    static FloatVector grad(Act act, float alpha, FloatVector s) {
        return switch (act) {
            case IDENTITY -> s.broadcast(1f);
            case RELU -> s.broadcast(0f).blend(1f, s.compare(VectorOperators.GT, 0f));
            case LEAKY_RELU -> s.broadcast(alpha).blend(1f, s.compare(VectorOperators.GT, 0f));
            case SIGMOID -> s.mul(s.neg().add(1f));
            case TANH -> s.mul(s).neg().add(1f);
            case GELU -> {
                FloatVector s2 = s.mul(s);
                FloatVector t = s2.mul(s).mul(GELU_K).add(s).mul(GELU_C).lanewise(VectorOperators.TANH);
                FloatVector left = t.add(1f).mul(0.5f);
                FloatVector right = s.mul(0.5f).mul(t.mul(t).neg().add(1f))
                        .mul(GELU_C).mul(s2.mul(3f * GELU_K).add(1f));
                yield left.add(right);
            }
        };
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
            VectorMask<Float> keep = keepMask(iota, key, idx + i, threshold);
            FloatVector x = FloatVector.fromArray(S, v, off + i).mul(scale);
            x.blend(0f, keep.not()).intoArray(v, off + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            VectorMask<Float> keep = keepMask(iota, key, idx + i, threshold);
            FloatVector x = FloatVector.fromArray(S, v, off + i, m).mul(scale);
            x.blend(0f, keep.not()).intoArray(v, off + i, m);
        }
    }

    /** The vector form of {@link DropoutMask#hash}; lanes hold consecutive element indices. */
    private static VectorMask<Float> keepMask(IntVector iota, int key, int first, int threshold) {
        IntVector x = iota.add(first).mul(DropoutMask.GOLDEN).add(key);
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(0x7feb352d);
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15)).mul(0x846ca68b);
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
        return x.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(S);
    }

    @Override
    public void scale(float[] v, int off, int len, float s) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, v, off + i).mul(s).intoArray(v, off + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, v, off + i, m).mul(s).intoArray(v, off + i, m);
        }
    }

    @Override
    public void sumRows(float[] src, int off, int rows, int cols, float[] dst, int dOff, boolean accumulate) {
        int j = 0;
        for (; j < cols; j += L) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            FloatVector s = accumulate ? FloatVector.fromArray(S, dst, dOff + j, m) : FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                s = s.add(FloatVector.fromArray(S, src, off + r * cols + j, m));
            }
            s.intoArray(dst, dOff + j, m);
        }
    }

    @Override
    public float sum(float[] src, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, src, off + i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += src[off + i];
        }
        return s;
    }
}
