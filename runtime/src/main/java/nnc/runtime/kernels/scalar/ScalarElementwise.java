package nnc.runtime.kernels.scalar;

import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.DropoutMask;
import nnc.runtime.kernels.Elementwise;

/** The reference pointwise kernels: plain loops, the definition the SIMD twin is held to. */
public final class ScalarElementwise implements Elementwise {
    @Override
    public void bias(float[] v, int off, int len, int idx, float[] b, int bOff, int inner, int channels) {
        for (int i = 0; i < len; i++) {
            v[off + i] += b[bOff + ((idx + i) / inner) % channels];
        }
    }

    @Override
    public void batchNorm(float[] v, int off, int len, int idx, float[] p, int gammaOff, int betaOff, int meanOff,
                          int varOff, float eps, int inner, int channels) {
        for (int i = 0; i < len; i++) {
            int c = ((idx + i) / inner) % channels;
            float scale = p[gammaOff + c] / (float) Math.sqrt(p[varOff + c] + eps);
            v[off + i] = (v[off + i] - p[meanOff + c]) * scale + p[betaOff + c];
        }
    }

    @Override
    public void act(Act act, float alpha, float[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = act.apply(v[i], alpha);
        }
    }

    @Override
    public void actGrad(Act act, float alpha, float[] v, int off, int len, float[] s, int sOff) {
        for (int i = 0; i < len; i++) {
            v[off + i] *= act.grad(s[sOff + i], alpha);
        }
    }

    @Override
    public void add(float[] v, int off, int len, float[] s, int sOff) {
        for (int i = 0; i < len; i++) {
            v[off + i] += s[sOff + i];
        }
    }

    @Override
    public void dropout(float[] v, int off, int len, int idx, int key, int threshold, float scale) {
        for (int i = 0; i < len; i++) {
            v[off + i] = DropoutMask.keep(key, idx + i, threshold) ? v[off + i] * scale : 0f;
        }
    }

    @Override
    public void scale(float[] v, int off, int len, float s) {
        for (int i = off; i < off + len; i++) {
            v[i] *= s;
        }
    }

    @Override
    public void sumRows(float[] src, int off, int rows, int cols, float[] dst, int dOff, boolean accumulate) {
        for (int j = 0; j < cols; j++) {
            float s = accumulate ? dst[dOff + j] : 0f;
            for (int r = 0; r < rows; r++) {
                s += src[off + r * cols + j];
            }
            dst[dOff + j] = s;
        }
    }

    @Override
    public float sum(float[] src, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += src[i];
        }
        return (float) s;
    }
}
