package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.DropoutMask;
import nnc.runtime.kernels.Elementwise;
import nnc.runtime.kernels.act.ActivationFunction;

/**
 * Pointwise kernels on {@code FloatVector}: a full-width main loop and one masked tail.
 * Checked against {@code ScalarElementwise} by the contract suite.
 */
public final class SimdElementwise implements Elementwise {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    static final int L = S.length();

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

    /** Each activation's vector loops (its declaration's), by ordinal; see {@link Act}. */
    private final ActivationFunction.VectorLoops[] loops = new ActivationFunction.VectorLoops[Act.values().length];

    public SimdElementwise() {
        for (Act a : Act.values()) {
            loops[a.ordinal()] = a.function().vectorLoops();
        }
    }

    @Override
    public void act(Act act, float alpha, float[] v, int off, int len) {
        for (int i = loops[act.ordinal()].apply(v, off, len, alpha); i < len; i++) {
            v[off + i] = act.apply(v[off + i], alpha);
        }
    }

    @Override
    public void actGrad(Act act, float alpha, float[] v, int off, int len, float[] s, int sOff) {
        for (int i = loops[act.ordinal()].grad(v, off, len, s, sOff, alpha); i < len; i++) {
            v[off + i] *= act.grad(s[sOff + i], alpha);
        }
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
