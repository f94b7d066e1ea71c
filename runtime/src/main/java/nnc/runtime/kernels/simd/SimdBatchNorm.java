package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.BatchNormalization;
import nnc.runtime.kernels.scalar.ScalarBatchNorm;

/**
 * Batch-norm passes vectorised along the positions of a channel ({@code inner} floats per
 * sample and channel). With fewer positions than a vector holds (batch norm after a linear
 * layer: one) the work goes to the scalar twin, explicitly, and {@link #batchNormAlgorithm}
 * says so. Per channel, each sample's vector partial sums are reduced in {@link VMath#sum}'s
 * fixed order and added in sample order, so results do not depend on the threads.
 */
public final class SimdBatchNorm implements BatchNormalization {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private final ScalarBatchNorm reference;

    public SimdBatchNorm(ScalarBatchNorm reference) {
        this.reference = reference;
    }

    @Override
    public String batchNormAlgorithm(int inner) {
        return inner < L ? "scalar" : "simd";
    }


    @Override
    public void channelSums(int n, int channels, int inner, int c0, int c1, float[] src, int off,
                            double[] out, float[] mean, double[] squares) {
        if (inner < L) {
            reference.channelSums(n, channels, inner, c0, c1, src, off, out, mean, squares);
            return;
        }
        int bound = S.loopBound(inner);
        for (int c = c0; c < c1; c++) {
            double s = 0;
            double q = 0;
            float m = mean == null ? 0f : mean[c];
            for (int b = 0; b < n; b++) {
                int base = off + (b * channels + c) * inner;
                FloatVector vs = FloatVector.zero(S);
                FloatVector vq = FloatVector.zero(S);
                for (int i = 0; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, src, base + i);
                    vs = vs.add(v);
                    if (squares != null) {
                        FloatVector d = v.sub(m);
                        vq = d.fma(d, vq);
                    }
                }
                s += VMath.sum(vs);
                q += VMath.sum(vq);
                for (int i = bound; i < inner; i++) {
                    float v = src[base + i];
                    s += v;
                    if (squares != null) {
                        double d = v - m;
                        q += d * d;
                    }
                }
            }
            out[c] = s;
            if (squares != null) {
                squares[c] = q;
            }
        }
    }

    @Override
    public void channelAffine(int n, int channels, int inner, int c0, int c1, float[] x, int xOff,
                              float[] mean, float[] scale, float[] shift, float[] y, int yOff) {
        if (inner < L) {
            reference.channelAffine(n, channels, inner, c0, c1, x, xOff, mean, scale, shift, y, yOff);
            return;
        }
        int bound = S.loopBound(inner);
        for (int b = 0; b < n; b++) {
            for (int c = c0; c < c1; c++) {
                int xb = xOff + (b * channels + c) * inner;
                int yb = yOff + (b * channels + c) * inner;
                float m = mean[c];
                float sc = scale[c];
                float sh = shift[c];
                for (int i = 0; i < bound; i += L) {
                    FloatVector.fromArray(S, x, xb + i).sub(m).mul(sc).add(sh).intoArray(y, yb + i);
                }
                for (int i = bound; i < inner; i++) {
                    y[yb + i] = (x[xb + i] - m) * sc + sh;
                }
            }
        }
    }

    /**
     * The scalar twin's formulas, vectorised along positions: per sample, the partial sums of
     * {@code dy} and {@code dy * xhat} in vectors, reduced in a fixed order; then {@code dx}.
     */
    @Override
    public void batchNormBackward(int n, int channels, int inner, int c0, int c1, float[] dy, int dyOff, float[] x,
                                  int xOff, float[] mean, float[] invstd, float[] gamma, int gammaOff, float[] dx,
                                  int dxOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff) {
        if (inner < L) {
            reference.batchNormBackward(n, channels, inner, c0, c1, dy, dyOff, x, xOff, mean, invstd, gamma, gammaOff,
                    dx, dxOff, dgamma, dgOff, dbeta, dbOff);
            return;
        }
        int bound = S.loopBound(inner);
        double m = (double) n * inner;
        for (int c = c0; c < c1; c++) {
            float mu = mean[c];
            float is = invstd[c];
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * channels + c) * inner;
                FloatVector vd = FloatVector.zero(S);
                FloatVector vdx = FloatVector.zero(S);
                for (int i = 0; i < bound; i += L) {
                    FloatVector d = FloatVector.fromArray(S, dy, dyOff + base + i);
                    FloatVector xhat = FloatVector.fromArray(S, x, xOff + base + i).sub(mu).mul(is);
                    vd = vd.add(d);
                    vdx = d.fma(xhat, vdx);
                }
                sumDy += VMath.sum(vd);
                sumDyXhat += VMath.sum(vdx);
                for (int i = bound; i < inner; i++) {
                    float d = dy[dyOff + base + i];
                    sumDy += d;
                    sumDyXhat += d * ((x[xOff + base + i] - mu) * is);
                }
            }
            if (dgamma != null) {
                dgamma[dgOff + c] = (float) sumDyXhat;
            }
            if (dbeta != null) {
                dbeta[dbOff + c] = (float) sumDy;
            }
            if (dx != null) {
                float k = gamma[gammaOff + c] * is;
                float meanDy = (float) (sumDy / m);
                float meanDyXhat = (float) (sumDyXhat / m);
                for (int b = 0; b < n; b++) {
                    int base = (b * channels + c) * inner;
                    for (int i = 0; i < bound; i += L) {
                        FloatVector xhat = FloatVector.fromArray(S, x, xOff + base + i).sub(mu).mul(is);
                        FloatVector.fromArray(S, dy, dyOff + base + i).sub(meanDy).sub(xhat.mul(meanDyXhat)).mul(k)
                                .intoArray(dx, dxOff + base + i);
                    }
                    for (int i = bound; i < inner; i++) {
                        float xhat = (x[xOff + base + i] - mu) * is;
                        dx[dxOff + base + i] = k * (dy[dyOff + base + i] - meanDy - xhat * meanDyXhat);
                    }
                }
            }
        }
    }
}
