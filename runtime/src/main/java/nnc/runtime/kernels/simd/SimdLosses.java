package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.Losses;

/**
 * Loss kernels vectorised along a row (the classes), whole vectors then a scalar tail (a
 * masked access reaching past the array's end can allocate). Rows are independent; the row
 * sums that become the loss are kept in double, as in the scalar twin.
 */
public final class SimdLosses implements Losses {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static float rowMax(float[] x, int o, int cols) {
        int bound = S.loopBound(cols);
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector acc = FloatVector.fromArray(S, x, o);
            for (int j = L; j < bound; j += L) {
                acc = acc.max(FloatVector.fromArray(S, x, o + j));
            }
            max = acc.reduceLanes(VectorOperators.MAX);
        }
        for (int j = bound; j < cols; j++) {
            max = Math.max(max, x[o + j]);
        }
        return max;
    }

    private static int rowArgMax(float[] x, int o, int cols) {
        int arg = 0;
        for (int j = 1; j < cols; j++) {
            if (x[o + j] > x[o + arg]) {
                arg = j;
            }
        }
        return arg;
    }

    /** Writes exp(x - max) to y (when y != null) and returns its sum. */
    private static float expShifted(float[] x, int o, int cols, float max, float[] y, int yo) {
        int bound = S.loopBound(cols);
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < bound; j += L) {
            FloatVector e = FloatVector.fromArray(S, x, o + j).sub(max).lanewise(VectorOperators.EXP);
            if (y != null) {
                e.intoArray(y, yo + j);
            }
            acc = acc.add(e);
        }
        float sum = VMath.sum(acc);
        for (int j = bound; j < cols; j++) {
            float e = (float) Math.exp(x[o + j] - max);
            if (y != null) {
                y[yo + j] = e;
            }
            sum += e;
        }
        return sum;
    }

    private static void scaleRow(float[] y, int o, int cols, float k) {
        int bound = S.loopBound(cols);
        for (int j = 0; j < bound; j += L) {
            FloatVector.fromArray(S, y, o + j).mul(k).intoArray(y, o + j);
        }
        for (int j = bound; j < cols; j++) {
            y[o + j] *= k;
        }
    }

    @Override
    public void softmaxCrossEntropy(float[] x, int xOff, int r0, int r1, int cols, float[] t, int tOff,
                                    float[] g, int gOff, float scale, float[] out) {
        double loss = 0;
        int correct = 0;
        for (int r = r0; r < r1; r++) {
            int o = xOff + r * cols;
            int label = (int) t[tOff + r];
            float max = rowMax(x, o, cols);
            int go = gOff + r * cols;
            float sum = expShifted(x, o, cols, max, g, go);
            loss += Math.log(sum) - (x[o + label] - max);
            if (rowArgMax(x, o, cols) == label) {
                correct++;
            }
            if (g != null) {
                scaleRow(g, go, cols, scale / sum);
                g[go + label] -= scale;
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
            scaleRow(y, yo, cols, 1f / expShifted(x, o, cols, rowMax(x, o, cols), y, yo));
        }
    }

    @Override
    public void softmaxGrad(float[] dy, int dyOff, float[] y, int yOff, int r0, int r1, int cols,
                            float[] dx, int dxOff) {
        int bound = S.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < bound; j += L) {
                acc = FloatVector.fromArray(S, dy, dyOff + o + j).fma(FloatVector.fromArray(S, y, yOff + o + j), acc);
            }
            float dot = VMath.sum(acc);
            for (int j = bound; j < cols; j++) {
                dot += dy[dyOff + o + j] * y[yOff + o + j];
            }
            for (int j = 0; j < bound; j += L) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + o + j);
                FloatVector.fromArray(S, dy, dyOff + o + j).sub(dot).mul(yv).intoArray(dx, dxOff + o + j);
            }
            for (int j = bound; j < cols; j++) {
                dx[dxOff + o + j] = y[yOff + o + j] * (dy[dyOff + o + j] - dot);
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
            if (rowArgMax(p, o, cols) == label) {
                correct++;
            }
            float pl = Math.max(p[o + label], EPS);
            loss -= Math.log(pl);
            if (g != null) {
                java.util.Arrays.fill(g, gOff + r * cols, gOff + (r + 1) * cols, 0f);
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
        float k = scale / cols;
        int bound = S.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(S);
            boolean right = true;
            for (int j = 0; j < bound; j += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + o + j);
                FloatVector tv = FloatVector.fromArray(S, t, tOff + o + j);
                // max(x, 0) - x t + log(1 + exp(-|x|))
                acc = acc.add(xv.max(0f).sub(xv.mul(tv))
                        .add(xv.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P)));
                VectorMask<Float> predicted = xv.compare(VectorOperators.GT, 0f);
                VectorMask<Float> actual = tv.compare(VectorOperators.GT, 0.5f);
                right &= predicted.eq(actual).allTrue();
                if (g != null) {
                    FloatVector s = xv.broadcast(1f).div(xv.neg().lanewise(VectorOperators.EXP).add(1f));
                    s.sub(tv).mul(k).intoArray(g, gOff + o + j);
                }
            }
            double rowLoss = VMath.sum(acc);
            for (int j = bound; j < cols; j++) {
                float xv = x[xOff + o + j];
                float tv = t[tOff + o + j];
                rowLoss += Math.max(xv, 0f) - xv * tv + Math.log1p(Math.exp(-Math.abs(xv)));
                right &= (xv > 0) == (tv > 0.5f);
                if (g != null) {
                    g[gOff + o + j] = (1f / (1f + (float) Math.exp(-xv)) - tv) * k;
                }
            }
            loss += rowLoss;
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
        float k = scale / cols;
        int bound = S.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(S);
            boolean right = true;
            for (int j = 0; j < bound; j += L) {
                FloatVector raw = FloatVector.fromArray(S, p, pOff + o + j);
                FloatVector pv = raw.max(EPS).min(1f - EPS);
                FloatVector tv = FloatVector.fromArray(S, t, tOff + o + j);
                FloatVector one = pv.broadcast(1f);
                acc = acc.add(tv.mul(pv.lanewise(VectorOperators.LOG))
                        .add(one.sub(tv).mul(one.sub(pv).lanewise(VectorOperators.LOG))).neg());
                VectorMask<Float> predicted = raw.compare(VectorOperators.GT, 0.5f);
                VectorMask<Float> actual = tv.compare(VectorOperators.GT, 0.5f);
                right &= predicted.eq(actual).allTrue();
                if (g != null) {
                    pv.sub(tv).div(pv.mul(one.sub(pv))).mul(k).intoArray(g, gOff + o + j);
                }
            }
            double rowLoss = VMath.sum(acc);
            for (int j = bound; j < cols; j++) {
                float pv = Math.min(Math.max(p[pOff + o + j], EPS), 1f - EPS);
                float tv = t[tOff + o + j];
                rowLoss -= tv * Math.log(pv) + (1 - tv) * Math.log(1 - pv);
                right &= (p[pOff + o + j] > 0.5f) == (tv > 0.5f);
                if (g != null) {
                    g[gOff + o + j] = (pv - tv) / (pv * (1f - pv)) * k;
                }
            }
            loss += rowLoss;
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
        float k = 2f * scale / cols;
        int bound = S.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < bound; j += L) {
                FloatVector d = FloatVector.fromArray(S, y, yOff + o + j).sub(FloatVector.fromArray(S, t, tOff + o + j));
                acc = d.fma(d, acc);
                if (g != null) {
                    d.mul(k).intoArray(g, gOff + o + j);
                }
            }
            double row = VMath.sum(acc);
            for (int j = bound; j < cols; j++) {
                float d = y[yOff + o + j] - t[tOff + o + j];
                row += (double) d * d;
                if (g != null) {
                    g[gOff + o + j] = d * k;
                }
            }
            loss += row / cols;
        }
        out[0] = (float) loss;
        out[1] = 0;
    }
}
