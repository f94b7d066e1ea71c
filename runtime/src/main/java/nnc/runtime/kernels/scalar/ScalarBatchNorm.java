package nnc.runtime.kernels.scalar;

import nnc.runtime.kernels.BatchNormalization;

/**
 * Reference batch-norm passes on {@code [N, C, inner]}: sums in double, per channel in sample
 * order. The SIMD twin is checked against these.
 */
public final class ScalarBatchNorm implements BatchNormalization {
    @Override
    public String batchNormAlgorithm(int inner) {
        return "scalar";
    }
    @Override
    public void channelSums(int n, int channels, int inner, int c0, int c1, float[] src, int off, double[] out) {
        for (int c = c0; c < c1; c++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                int base = off + (b * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    s += src[base + i];
                }
            }
            out[c] = s;
        }
    }

    /** The textbook two passes in double: the mean, then the mean squared deviation from it. */
    @Override
    public void channelMoments(int n, int channels, int inner, int c0, int c1, float[] src, int off, float[] mean,
                               double[] variance) {
        for (int c = c0; c < c1; c++) {
            double m = channelMean(n, channels, inner, c, src, off);
            mean[c] = (float) m;
            variance[c] = channelVariance(n, channels, inner, c, src, off, m);
        }
    }

    private static double channelMean(int n, int channels, int inner, int c, float[] src, int off) {
        double s = 0;
        for (int b = 0; b < n; b++) {
            int base = off + (b * channels + c) * inner;
            for (int i = 0; i < inner; i++) {
                s += src[base + i];
            }
        }
        return s / ((double) n * inner);
    }

    /** The biased variance of channel {@code c}: the mean squared deviation from {@code m}. */
    private static double channelVariance(int n, int channels, int inner, int c, float[] src, int off, double m) {
        double q = 0;
        for (int b = 0; b < n; b++) {
            int base = off + (b * channels + c) * inner;
            for (int i = 0; i < inner; i++) {
                double d = src[base + i] - m;
                q += d * d;
            }
        }
        return q / ((double) n * inner);
    }

    @Override
    public void channelAffine(int n, int channels, int inner, int c0, int c1, float[] x, int xOff,
                              float[] mean, float[] scale, float[] shift, boolean relu, float[] y, int yOff) {
        for (int b = 0; b < n; b++) {
            for (int c = c0; c < c1; c++) {
                int xb = xOff + (b * channels + c) * inner;
                int yb = yOff + (b * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    float v = (x[xb + i] - mean[c]) * scale[c] + shift[c];
                    y[yb + i] = relu && !(v > 0) ? 0f : v;
                }
            }
        }
    }

    @Override
    public void batchNormBackward(int n, int channels, int inner, int c0, int c1, float[] dy, int dyOff, float[] x,
                                  int xOff, float eps, float[] gamma, int gammaOff, float[] dx,
                                  int dxOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff) {
        double m = (double) n * inner;
        for (int c = c0; c < c1; c++) {
            double mu = channelMean(n, channels, inner, c, x, xOff);
            float meanC = (float) mu;
            float invstd = (float) (1 / Math.sqrt(channelVariance(n, channels, inner, c, x, xOff, mu) + eps));
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    float d = dy[dyOff + base + i];
                    sumDy += d;
                    sumDyXhat += d * ((x[xOff + base + i] - meanC) * invstd);
                }
            }
            if (dgamma != null) {
                dgamma[dgOff + c] = (float) sumDyXhat;
            }
            if (dbeta != null) {
                dbeta[dbOff + c] = (float) sumDy;
            }
            if (dx != null) {
                float k = gamma[gammaOff + c] * invstd;
                float meanDy = (float) (sumDy / m);
                float meanDyXhat = (float) (sumDyXhat / m);
                for (int b = 0; b < n; b++) {
                    int base = (b * channels + c) * inner;
                    for (int i = 0; i < inner; i++) {
                        float xhat = (x[xOff + base + i] - meanC) * invstd;
                        dx[dxOff + base + i] = k * (dy[dyOff + base + i] - meanDy - xhat * meanDyXhat);
                    }
                }
            }
        }
    }
}
