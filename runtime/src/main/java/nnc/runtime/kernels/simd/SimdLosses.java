package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.Losses;

/**
 * Loss kernels vectorised along a row (the classes); rows are independent. The row sums
 * that become the loss are kept in double, as in the scalar twin.
 */
public final class SimdLosses implements Losses {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static float rowMax(float[] x, int o, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            max = Math.max(max, FloatVector.fromArray(S, x, o + j, m).reduceLanes(VectorOperators.MAX, m));
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
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            FloatVector e = FloatVector.fromArray(S, x, o + j, m).sub(max).lanewise(VectorOperators.EXP);
            e = FloatVector.zero(S).blend(e, m);
            if (y != null) {
                e.intoArray(y, yo + j, m);
            }
            acc = acc.add(e);
        }
        return acc.reduceLanes(VectorOperators.ADD);
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
                float k = scale / sum;
                for (int j = 0; j < cols; j += L) {
                    VectorMask<Float> m = S.indexInRange(j, cols);
                    FloatVector.fromArray(S, g, go + j, m).mul(k).intoArray(g, go + j, m);
                }
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
            float inv = 1f / expShifted(x, o, cols, rowMax(x, o, cols), y, yo);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector.fromArray(S, y, yo + j, m).mul(inv).intoArray(y, yo + j, m);
            }
        }
    }

    @Override
    public void softmaxGrad(float[] dy, int dyOff, float[] y, int yOff, int r0, int r1, int cols,
                            float[] dx, int dxOff) {
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                acc = FloatVector.fromArray(S, dy, dyOff + o + j, m)
                        .fma(FloatVector.fromArray(S, y, yOff + o + j, m), acc);
            }
            float dot = acc.reduceLanes(VectorOperators.ADD);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector yv = FloatVector.fromArray(S, y, yOff + o + j, m);
                FloatVector.fromArray(S, dy, dyOff + o + j, m).sub(dot).mul(yv).intoArray(dx, dxOff + o + j, m);
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
                int go = gOff + r * cols;
                for (int j = 0; j < cols; j += L) {
                    VectorMask<Float> m = S.indexInRange(j, cols);
                    FloatVector.zero(S).intoArray(g, go + j, m);
                }
                g[go + label] = p[o + label] > EPS ? -scale / pl : 0f;
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
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(S);
            boolean right = true;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector xv = FloatVector.fromArray(S, x, xOff + o + j, m);
                FloatVector tv = FloatVector.fromArray(S, t, tOff + o + j, m);
                // max(x, 0) - x t + log(1 + exp(-|x|))
                FloatVector l = xv.max(0f).sub(xv.mul(tv))
                        .add(xv.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
                acc = acc.add(FloatVector.zero(S).blend(l, m));
                VectorMask<Float> predicted = xv.compare(VectorOperators.GT, 0f);
                VectorMask<Float> actual = tv.compare(VectorOperators.GT, 0.5f);
                right &= !predicted.eq(actual).not().and(m).anyTrue();
                if (g != null) {
                    FloatVector s = xv.broadcast(1f).div(xv.neg().lanewise(VectorOperators.EXP).add(1f));
                    s.sub(tv).mul(k).intoArray(g, gOff + o + j, m);
                }
            }
            loss += acc.reduceLanes(VectorOperators.ADD);
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
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(S);
            boolean right = true;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector raw = FloatVector.fromArray(S, p, pOff + o + j, m);
                FloatVector pv = raw.max(EPS).min(1f - EPS);
                FloatVector tv = FloatVector.fromArray(S, t, tOff + o + j, m);
                FloatVector one = pv.broadcast(1f);
                FloatVector l = tv.mul(pv.lanewise(VectorOperators.LOG))
                        .add(one.sub(tv).mul(one.sub(pv).lanewise(VectorOperators.LOG))).neg();
                acc = acc.add(FloatVector.zero(S).blend(l, m));
                VectorMask<Float> predicted = raw.compare(VectorOperators.GT, 0.5f);
                VectorMask<Float> actual = tv.compare(VectorOperators.GT, 0.5f);
                right &= !predicted.eq(actual).not().and(m).anyTrue();
                if (g != null) {
                    pv.sub(tv).div(pv.mul(one.sub(pv))).mul(k).intoArray(g, gOff + o + j, m);
                }
            }
            loss += acc.reduceLanes(VectorOperators.ADD);
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
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector d = FloatVector.fromArray(S, y, yOff + o + j, m)
                        .sub(FloatVector.fromArray(S, t, tOff + o + j, m));
                acc = d.fma(d, acc);
                if (g != null) {
                    d.mul(k).intoArray(g, gOff + o + j, m);
                }
            }
            loss += acc.reduceLanes(VectorOperators.ADD) / cols;
        }
        out[0] = (float) loss;
        out[1] = 0;
    }
}
