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
    public void channelSums(int n, int channels, int inner, int c0, int c1, float[] src, int off, double[] out) {
        if (inner < L) {
            reference.channelSums(n, channels, inner, c0, c1, src, off, out);
            return;
        }
        for (int c = c0; c < c1; c++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                s += planeSum(src, off + (b * channels + c) * inner, inner);
            }
            out[c] = s;
        }
    }

    /**
     * One read of the channel from memory: each sample's plane is summed, then its squared
     * deviations from its own mean are summed while it is in cache, and the planes' means and
     * squared deviations are merged in sample order (Chan, Golub and LeVeque's pairwise update,
     * in double), so the variance is as well-conditioned as the scalar twin's two passes.
     */
    @Override
    public void channelMoments(int n, int channels, int inner, int c0, int c1, float[] src, int off, float[] mean,
                               double[] variance) {
        if (inner < L) {
            reference.channelMoments(n, channels, inner, c0, c1, src, off, mean, variance);
            return;
        }
        for (int c = c0; c < c1; c++) {
            double m = 0;
            double m2 = 0;
            for (int b = 0; b < n; b++) {
                int base = off + (b * channels + c) * inner;
                double planeMean = planeSum(src, base, inner) / inner;
                float pm = (float) planeMean;
                double err = planeMean - pm;
                // Deviations are taken from the float pm; sum((x - pm)^2) = planeM2 + inner * err^2.
                double planeM2 = planeSquares(src, base, inner, pm) - inner * err * err;
                double delta = planeMean - m;
                m += delta / (b + 1);
                m2 += planeM2 + delta * delta * inner * b / (b + 1);
            }
            mean[c] = (float) m;
            variance[c] = m2 / ((double) n * inner);
        }
    }

    /**
     * {@code sum(v[base, base + len))}: four vector partial sums (four add chains in flight),
     * reduced in a fixed order, and the last {@code len % 4L} values one by one. One vector loop
     * only: with a second loop for the last whole vectors, C2 boxed the partial sums on the heap
     * (128 KB per step in SteadyStateAllocationTest's batch-norm model).
     */
    private static double planeSum(float[] v, int base, int len) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int bound = len - len % (4 * L);
        for (int i = 0; i < bound; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, v, base + i));
            s1 = s1.add(FloatVector.fromArray(S, v, base + i + L));
            s2 = s2.add(FloatVector.fromArray(S, v, base + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, v, base + i + 3 * L));
        }
        double s = VMath.sum(s0.add(s1).add(s2.add(s3)));
        for (int i = bound; i < len; i++) {
            s += v[base + i];
        }
        return s;
    }

    /** {@code sum((v - m)^2)} over {@code v[base, base + len)}, as {@link #planeSum}. */
    private static double planeSquares(float[] v, int base, int len, float m) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int bound = len - len % (4 * L);
        for (int i = 0; i < bound; i += 4 * L) {
            FloatVector d0 = FloatVector.fromArray(S, v, base + i).sub(m);
            FloatVector d1 = FloatVector.fromArray(S, v, base + i + L).sub(m);
            FloatVector d2 = FloatVector.fromArray(S, v, base + i + 2 * L).sub(m);
            FloatVector d3 = FloatVector.fromArray(S, v, base + i + 3 * L).sub(m);
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
            s2 = d2.fma(d2, s2);
            s3 = d3.fma(d3, s3);
        }
        double s = VMath.sum(s0.add(s1).add(s2.add(s3)));
        for (int i = bound; i < len; i++) {
            double d = v[base + i] - m;
            s += d * d;
        }
        return s;
    }

    @Override
    public void channelAffine(int n, int channels, int inner, int c0, int c1, float[] x, int xOff,
                              float[] mean, float[] scale, float[] shift, boolean relu, float[] y, int yOff) {
        if (inner < L) {
            reference.channelAffine(n, channels, inner, c0, c1, x, xOff, mean, scale, shift, relu, y, yOff);
            return;
        }
        int bound = S.loopBound(inner);
        // With relu the floor is 0; without, -infinity leaves every value (NaN included) as it is.
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        for (int b = 0; b < n; b++) {
            for (int c = c0; c < c1; c++) {
                int xb = xOff + (b * channels + c) * inner;
                int yb = yOff + (b * channels + c) * inner;
                float m = mean[c];
                float sc = scale[c];
                float sh = shift[c];
                for (int i = 0; i < bound; i += L) {
                    FloatVector.fromArray(S, x, xb + i).sub(m).mul(sc).add(sh).max(floor).intoArray(y, yb + i);
                }
                for (int i = bound; i < inner; i++) {
                    float v = (x[xb + i] - m) * sc + sh;
                    y[yb + i] = relu && !(v > 0) ? 0f : v;
                }
            }
        }
    }

    /**
     * The scalar twin's formulas, vectorised along positions, with one read of x and dy for the
     * statistics and both sums: per sample, the plane's mean {@code pm} (a pass over x), then in
     * one pass over the plane in cache the squared deviations from {@code pm}, {@code sum(dy)}
     * and {@code sum(dy * (x - pm))}. The planes' statistics merge as in {@link #channelMoments};
     * {@code sum(dy * (x - mean)) = sum over planes of sum(dy * (x - pm)) + (pm - mean) * sum(dy)}.
     * Then the second pass writes {@code dx}.
     */
    @Override
    public void batchNormBackward(int n, int channels, int inner, int c0, int c1, float[] dy, int dyOff, float[] x,
                                  int xOff, float eps, float[] gamma, int gammaOff, float[] dx,
                                  int dxOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff) {
        if (inner < L) {
            reference.batchNormBackward(n, channels, inner, c0, c1, dy, dyOff, x, xOff, eps, gamma, gammaOff,
                    dx, dxOff, dgamma, dgOff, dbeta, dbOff);
            return;
        }
        int bound = S.loopBound(inner);
        double count = (double) n * inner;
        for (int c = c0; c < c1; c++) {
            double m = 0;
            double m2 = 0;
            double sumDy = 0;
            double sumDyDev = 0;
            double sumPmDy = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * channels + c) * inner;
                double planeMean = planeSum(x, xOff + base, inner) / inner;
                float pm = (float) planeMean;
                FloatVector vq = FloatVector.zero(S);
                FloatVector vd = FloatVector.zero(S);
                FloatVector vdd = FloatVector.zero(S);
                for (int i = 0; i < bound; i += L) {
                    FloatVector dev = FloatVector.fromArray(S, x, xOff + base + i).sub(pm);
                    FloatVector d = FloatVector.fromArray(S, dy, dyOff + base + i);
                    vq = dev.fma(dev, vq);
                    vd = vd.add(d);
                    vdd = d.fma(dev, vdd);
                }
                double q = VMath.sum(vq);
                double pd = VMath.sum(vd);
                double pdd = VMath.sum(vdd);
                for (int i = bound; i < inner; i++) {
                    double dev = x[xOff + base + i] - pm;
                    float d = dy[dyOff + base + i];
                    q += dev * dev;
                    pd += d;
                    pdd += d * dev;
                }
                double err = planeMean - pm;
                double delta = planeMean - m;
                m += delta / (b + 1);
                m2 += q - inner * err * err + delta * delta * inner * b / (b + 1);
                sumDy += pd;
                sumDyDev += pdd;
                sumPmDy += pm * pd;
            }
            float mu = (float) m;
            float is = (float) (1 / Math.sqrt(m2 / count + eps));
            double sumDyXhat = (sumDyDev + sumPmDy - mu * sumDy) * is;
            if (dgamma != null) {
                dgamma[dgOff + c] = (float) sumDyXhat;
            }
            if (dbeta != null) {
                dbeta[dbOff + c] = (float) sumDy;
            }
            if (dx != null) {
                float k = gamma[gammaOff + c] * is;
                float meanDy = (float) (sumDy / count);
                float meanDyXhat = (float) (sumDyXhat / count);
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
