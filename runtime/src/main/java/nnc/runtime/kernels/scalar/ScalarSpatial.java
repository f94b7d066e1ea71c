package nnc.runtime.kernels.scalar;

import java.util.Arrays;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;
import nnc.runtime.kernels.Spatial;

/**
 * Reference convolution, pooling and batch norm: direct loops over every index, exactly as
 * the shape comments read. The SIMD twin (im2col + GEMM) is checked against these.
 *
 * <pre>
 *   N batch, C in channels, O out channels, H x W input, OH x OW output, KH x KW kernel
 * </pre>
 */
public class ScalarSpatial implements Spatial {
    @Override
    public void convForward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff,
                            float[] y, int yOff, Epilogue epi) {
        // y[b, o, i, j] = sum_{c,u,v} x[b, c, i*SH - PT + u, j*SW - PL + v] * w[o, c, u, v]
        for (int b = b0; b < b1; b++) {
            int xb = xOff + b * g.inSize();
            int yb = yOff + b * g.outSize();
            for (int o = 0; o < g.o(); o++) {
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++) {
                        float s = 0;
                        for (int c = 0; c < g.c(); c++) {
                            for (int u = 0; u < g.kh(); u++) {
                                int r = i * g.sh() - g.pt() + u;
                                if (r < 0 || r >= g.h()) {
                                    continue;
                                }
                                for (int v = 0; v < g.kw(); v++) {
                                    int q = j * g.sw() - g.pl() + v;
                                    if (q >= 0 && q < g.w()) {
                                        s += x[xb + (c * g.h() + r) * g.w() + q]
                                                * w[wOff + ((o * g.c() + c) * g.kh() + u) * g.kw() + v];
                                    }
                                }
                            }
                        }
                        y[yb + (o * g.oh() + i) * g.ow() + j] = s;
                    }
                }
            }
            if (!epi.isEmpty()) {
                epi.apply(y, yb, g.outSize());
            }
        }
    }

    @Override
    public void convBackwardData(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] w, int wOff,
                                 float[] dx, int dxOff, Epilogue epi) {
        // dx[b, c, r, q] = sum over (o, i, j, u, v) with r = i*SH - PT + u, q = j*SW - PL + v of dy * w
        for (int b = b0; b < b1; b++) {
            int xb = dxOff + b * g.inSize();
            int yb = dyOff + b * g.outSize();
            Arrays.fill(dx, xb, xb + g.inSize(), 0f);
            for (int o = 0; o < g.o(); o++) {
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++) {
                        float d = dy[yb + (o * g.oh() + i) * g.ow() + j];
                        for (int c = 0; c < g.c(); c++) {
                            for (int u = 0; u < g.kh(); u++) {
                                int r = i * g.sh() - g.pt() + u;
                                if (r < 0 || r >= g.h()) {
                                    continue;
                                }
                                for (int v = 0; v < g.kw(); v++) {
                                    int q = j * g.sw() - g.pl() + v;
                                    if (q >= 0 && q < g.w()) {
                                        dx[xb + (c * g.h() + r) * g.w() + q] +=
                                                d * w[wOff + ((o * g.c() + c) * g.kh() + u) * g.kw() + v];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if (!epi.isEmpty()) {
                epi.apply(dx, xb, g.inSize());
            }
        }
    }

    @Override
    public void convBackwardWeights(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x,
                                    int xOff, float[] dw, int dwOff) {
        // dwT[(c, u, v), o] += sum over b, i, j of dy[b, o, i, j] * x[b, c, i*SH - PT + u, j*SW - PL + v]
        for (int b = b0; b < b1; b++) {
            int xb = xOff + b * g.inSize();
            int yb = dyOff + b * g.outSize();
            for (int o = 0; o < g.o(); o++) {
                for (int c = 0; c < g.c(); c++) {
                    for (int u = 0; u < g.kh(); u++) {
                        for (int v = 0; v < g.kw(); v++) {
                            float s = 0;
                            for (int i = 0; i < g.oh(); i++) {
                                int r = i * g.sh() - g.pt() + u;
                                if (r < 0 || r >= g.h()) {
                                    continue;
                                }
                                for (int j = 0; j < g.ow(); j++) {
                                    int q = j * g.sw() - g.pl() + v;
                                    if (q >= 0 && q < g.w()) {
                                        s += dy[yb + (o * g.oh() + i) * g.ow() + j] * x[xb + (c * g.h() + r) * g.w() + q];
                                    }
                                }
                            }
                            dw[dwOff + ((c * g.kh() + u) * g.kw() + v) * g.o() + o] += s;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void maxPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        int out = g.oh() * g.ow();
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            maxPoolPlane(g, x, xOff + plane * g.h() * g.w(), y, yOff + plane * out);
            applyPlane(epi, y, yOff + plane * out, out);
        }
    }

    /** The epilogue on one plane of a pooling kernel's output, while it is in cache. */
    protected static void applyPlane(Epilogue epi, float[] v, int off, int len) {
        if (!epi.isEmpty()) {
            epi.apply(v, off, len);
        }
    }

    /** One channel plane: x at xc [H, W], y at yc [OH, OW]. */
    protected static void maxPoolPlane(PoolGeom g, float[] x, int xc, float[] y, int yc) {
        for (int i = 0; i < g.oh(); i++) {
            for (int j = 0; j < g.ow(); j++) {
                y[yc + i * g.ow() + j] = x[xc + argmax(g, x, xc, i, j)];
            }
        }
    }

    /** Offset within the channel of the first maximum of window (i, j); padding never wins. */
    protected static int argmax(PoolGeom g, float[] x, int xc, int i, int j) {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int u = 0; u < g.kh(); u++) {
            int r = i * g.sh() - g.pt() + u;
            if (r < 0 || r >= g.h()) {
                continue;
            }
            for (int v = 0; v < g.kw(); v++) {
                int q = j * g.sw() - g.pl() + v;
                if (q < 0 || q >= g.w()) {
                    continue;
                }
                float val = x[xc + r * g.w() + q];
                if (best < 0 || val > max) {
                    max = val;
                    best = r * g.w() + q;
                }
            }
        }
        return best;
    }

    @Override
    public void maxPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                                float[] dx, int dxOff, Epilogue epi) {
        int in = g.h() * g.w();
        int out = g.oh() * g.ow();
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            maxPoolBackwardPlane(g, dy, dyOff + plane * out, x, xOff + plane * in, dx, dxOff + plane * in);
            applyPlane(epi, dx, dxOff + plane * in, in);
        }
    }

    /** One channel plane of the max-pooling gradient. */
    protected static void maxPoolBackwardPlane(PoolGeom g, float[] dy, int yc, float[] x, int xc, float[] dx, int dc) {
        Arrays.fill(dx, dc, dc + g.h() * g.w(), 0f);
        for (int i = 0; i < g.oh(); i++) {
            for (int j = 0; j < g.ow(); j++) {
                dx[dc + argmax(g, x, xc, i, j)] += dy[yc + i * g.ow() + j];
            }
        }
    }

    @Override
    public void avgPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        int out = g.oh() * g.ow();
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            avgPoolPlane(g, x, xOff + plane * g.h() * g.w(), y, yOff + plane * out);
            applyPlane(epi, y, yOff + plane * out, out);
        }
    }

    /** One channel plane of average pooling. */
    protected static void avgPoolPlane(PoolGeom g, float[] x, int xc, float[] y, int yc) {
        float inv = 1f / (g.kh() * g.kw());
        for (int i = 0; i < g.oh(); i++) {
            for (int j = 0; j < g.ow(); j++) {
                float s = 0;
                for (int u = 0; u < g.kh(); u++) {
                    int r = i * g.sh() - g.pt() + u;
                    for (int v = 0; v < g.kw(); v++) {
                        int q = j * g.sw() - g.pl() + v;
                        if (r >= 0 && r < g.h() && q >= 0 && q < g.w()) {
                            s += x[xc + r * g.w() + q];
                        }
                    }
                }
                y[yc + i * g.ow() + j] = s * inv;
            }
        }
    }

    @Override
    public void avgPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] dx, int dxOff, Epilogue epi) {
        int in = g.h() * g.w();
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            avgPoolBackwardPlane(g, dy, dyOff + plane * g.oh() * g.ow(), dx, dxOff + plane * in);
            applyPlane(epi, dx, dxOff + plane * in, in);
        }
    }

    /** One channel plane of the average-pooling gradient. */
    protected static void avgPoolBackwardPlane(PoolGeom g, float[] dy, int yc, float[] dx, int dc) {
        float inv = 1f / (g.kh() * g.kw());
        Arrays.fill(dx, dc, dc + g.h() * g.w(), 0f);
        for (int i = 0; i < g.oh(); i++) {
            for (int j = 0; j < g.ow(); j++) {
                float d = dy[yc + i * g.ow() + j] * inv;
                for (int u = 0; u < g.kh(); u++) {
                    int r = i * g.sh() - g.pt() + u;
                    for (int v = 0; v < g.kw(); v++) {
                        int q = j * g.sw() - g.pl() + v;
                        if (r >= 0 && r < g.h() && q >= 0 && q < g.w()) {
                            dx[dc + r * g.w() + q] += d;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void channelSums(int n, int channels, int inner, int c0, int c1, float[] src, int off,
                            double[] out, float[] mean, double[] squares) {
        for (int c = c0; c < c1; c++) {
            double s = 0;
            double q = 0;
            for (int b = 0; b < n; b++) {
                int base = off + (b * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    float v = src[base + i];
                    s += v;
                    if (squares != null) {
                        double d = v - mean[c];
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
        for (int b = 0; b < n; b++) {
            for (int c = c0; c < c1; c++) {
                int xb = xOff + (b * channels + c) * inner;
                int yb = yOff + (b * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    y[yb + i] = (x[xb + i] - mean[c]) * scale[c] + shift[c];
                }
            }
        }
    }

    @Override
    public void batchNormBackward(int n, int channels, int inner, int c0, int c1, float[] dy, int dyOff, float[] x,
                                  int xOff, float[] mean, float[] invstd, float[] gamma, int gammaOff, float[] dx,
                                  int dxOff, float[] dgamma, int dgOff) {
        double m = (double) n * inner;
        for (int c = c0; c < c1; c++) {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    float d = dy[dyOff + base + i];
                    sumDy += d;
                    sumDyXhat += d * ((x[xOff + base + i] - mean[c]) * invstd[c]);
                }
            }
            if (dgamma != null) {
                dgamma[dgOff + c] = (float) sumDyXhat;
            }
            if (dx != null) {
                float k = gamma[gammaOff + c] * invstd[c];
                float meanDy = (float) (sumDy / m);
                float meanDyXhat = (float) (sumDyXhat / m);
                for (int b = 0; b < n; b++) {
                    int base = (b * channels + c) * inner;
                    for (int i = 0; i < inner; i++) {
                        float xhat = (x[xOff + base + i] - mean[c]) * invstd[c];
                        dx[dxOff + base + i] = k * (dy[dyOff + base + i] - meanDy - xhat * meanDyXhat);
                    }
                }
            }
        }
    }
}
