package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.Losses;
import nnc.runtime.kernels.scalar.ScalarLosses;

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

    /** Writes exp(x - max) to y (when y != null) and returns its sum (VMath.exp: tier-independent). */
    private static float expShifted(float[] x, int o, int cols, float max, float[] y, int yo) {
        return VMath.exp(x, o, y, yo, cols, 1f, -max, 0f);
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

    /**
     * Binary cross-entropy, on logits or on probabilities: the reference loops. Their logs and
     * exponentials have no tier-independent vector form here ({@code lanewise(LOG)} rounds
     * differently in the fallback and the intrinsic), and they run over batch x outputs
     * values, a few hundred per step, not over activations.
     */
    private final ScalarLosses reference = new ScalarLosses();

    @Override
    public void sigmoidBinaryCrossEntropy(float[] x, int xOff, int r0, int r1, int cols, float[] t, int tOff,
                                          float[] g, int gOff, float scale, float[] out) {
        reference.sigmoidBinaryCrossEntropy(x, xOff, r0, r1, cols, t, tOff, g, gOff, scale, out);
    }

    @Override
    public void binaryCrossEntropy(float[] p, int pOff, int r0, int r1, int cols, float[] t, int tOff,
                                   float[] g, int gOff, float scale, float[] out) {
        reference.binaryCrossEntropy(p, pOff, r0, r1, cols, t, tOff, g, gOff, scale, out);
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
