package nnc.runtime.kernels.scalar;

import nnc.runtime.kernels.Losses;

/** Reference loss kernels: plain loops, doubles for the per-row sums. */
public final class ScalarLosses implements Losses {
    @Override
    public void softmaxCrossEntropy(float[] x, int xOff, int r0, int r1, int cols, float[] t, int tOff,
                                    float[] g, int gOff, float scale, float[] out) {
        double loss = 0;
        int correct = 0;
        for (int r = r0; r < r1; r++) {
            int o = xOff + r * cols;
            int label = (int) t[tOff + r];
            float max = x[o];
            int arg = 0;
            for (int j = 1; j < cols; j++) {
                if (x[o + j] > max) {
                    max = x[o + j];
                    arg = j;
                }
            }
            float sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += (float) Math.exp(x[o + j] - max);
            }
            loss += Math.log(sum) - (x[o + label] - max);
            if (arg == label) {
                correct++;
            }
            if (g != null) {
                int go = gOff + r * cols;
                float inv = 1f / sum;
                for (int j = 0; j < cols; j++) {
                    float p = (float) Math.exp(x[o + j] - max) * inv;
                    g[go + j] = (p - (j == label ? 1f : 0f)) * scale;
                }
            }
        }
        out[0] = (float) loss;
        out[1] = correct;
    }

    @Override
    public void softmax(float[] x, int xOff, int r0, int r1, int cols, float[] y, int yOff) {
        for (int r = r0; r < r1; r++) {
            int o = xOff + r * cols;
            int yo = yOff + r * cols;
            float max = x[o];
            for (int j = 1; j < cols; j++) {
                max = Math.max(max, x[o + j]);
            }
            float sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[o + j] - max);
                y[yo + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) {
                y[yo + j] *= inv;
            }
        }
    }

    @Override
    public void softmaxGrad(float[] dy, int dyOff, float[] y, int yOff, int r0, int r1, int cols,
                            float[] dx, int dxOff) {
        for (int r = r0; r < r1; r++) {
            float dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += dy[dyOff + r * cols + j] * y[yOff + r * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[dxOff + r * cols + j] = y[yOff + r * cols + j] * (dy[dyOff + r * cols + j] - dot);
            }
        }
    }

    @Override
    public void nll(float[] p, int pOff, int r0, int r1, int cols, float[] t, int tOff,
                    float[] g, int gOff, float scale, float[] out) {
        double loss = 0;
        int correct = 0;
        for (int r = r0; r < r1; r++) {
            int o = pOff + r * cols;
            int label = (int) t[tOff + r];
            int arg = 0;
            for (int j = 1; j < cols; j++) {
                if (p[o + j] > p[o + arg]) {
                    arg = j;
                }
            }
            if (arg == label) {
                correct++;
            }
            float pl = Math.max(p[o + label], EPS);
            loss -= Math.log(pl);
            if (g != null) {
                for (int j = 0; j < cols; j++) {
                    g[gOff + r * cols + j] = 0f;
                }
                g[gOff + r * cols + label] = p[o + label] > EPS ? -scale / pl : 0f;
            }
        }
        out[0] = (float) loss;
        out[1] = correct;
    }

    @Override
    public void sigmoidBinaryCrossEntropy(float[] x, int xOff, int r0, int r1, int cols, float[] t, int tOff,
                                          float[] g, int gOff, float scale, float[] out) {
        double loss = 0;
        int correct = 0;
        for (int r = r0; r < r1; r++) {
            boolean right = true;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                float xv = x[xOff + i];
                float tv = t[tOff + i];
                loss += Math.max(xv, 0f) - xv * tv + Math.log1p(Math.exp(-Math.abs(xv)));
                right &= (xv > 0) == (tv > 0.5f);
                if (g != null) {
                    float s = 1f / (1f + (float) Math.exp(-xv));
                    g[gOff + i] = (s - tv) * scale / cols;
                }
            }
            if (right) {
                correct++;
            }
        }
        out[0] = (float) (loss / cols);
        out[1] = correct;
    }

    @Override
    public void binaryCrossEntropy(float[] p, int pOff, int r0, int r1, int cols, float[] t, int tOff,
                                   float[] g, int gOff, float scale, float[] out) {
        double loss = 0;
        int correct = 0;
        for (int r = r0; r < r1; r++) {
            boolean right = true;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                float pv = Math.min(Math.max(p[pOff + i], EPS), 1f - EPS);
                float tv = t[tOff + i];
                loss -= tv * Math.log(pv) + (1 - tv) * Math.log(1 - pv);
                right &= (p[pOff + i] > 0.5f) == (tv > 0.5f);
                if (g != null) {
                    g[gOff + i] = (pv - tv) / (pv * (1f - pv)) * scale / cols;
                }
            }
            if (right) {
                correct++;
            }
        }
        out[0] = (float) (loss / cols);
        out[1] = correct;
    }

    @Override
    public void meanSquaredError(float[] y, int yOff, int r0, int r1, int cols, float[] t, int tOff,
                                 float[] g, int gOff, float scale, float[] out) {
        double loss = 0;
        for (int r = r0; r < r1; r++) {
            double row = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                float d = y[yOff + i] - t[tOff + i];
                row += (double) d * d;
                if (g != null) {
                    g[gOff + i] = 2f * d * scale / cols;
                }
            }
            loss += row / cols;
        }
        out[0] = (float) loss;
        out[1] = 0;
    }
}
