package nnc.runtime.kernels.scalar;

import java.util.Arrays;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;
import nnc.runtime.kernels.Pooling;

/**
 * Reference pooling, one channel plane at a time. The plane functions are public: the SIMD
 * twin hands them the geometries and planes its vector loops do not cover.
 *
 * <pre>
 *   N batch, C in channels, O out channels, H x W input, OH x OW output, KH x KW kernel
 * </pre>
 */
public final class ScalarPooling implements Pooling {
    @Override
    public String poolAlgorithm(PoolGeom g) {
        return "scalar";
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
    public static void applyPlane(Epilogue epi, float[] v, int off, int len) {
        if (!epi.isEmpty()) {
            epi.apply(v, off, len);
        }
    }

    /** One channel plane: x at xc [H, W], y at yc [OH, OW]. */
    public static void maxPoolPlane(PoolGeom g, float[] x, int xc, float[] y, int yc) {
        for (int i = 0; i < g.oh(); i++) {
            for (int j = 0; j < g.ow(); j++) {
                y[yc + i * g.ow() + j] = x[xc + argmax(g, x, xc, i, j)];
            }
        }
    }

    /** Offset within the channel of the first maximum of window (i, j); padding never wins. */
    public static int argmax(PoolGeom g, float[] x, int xc, int i, int j) {
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
    public static void maxPoolBackwardPlane(PoolGeom g, float[] dy, int yc, float[] x, int xc, float[] dx, int dc) {
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
    public static void avgPoolPlane(PoolGeom g, float[] x, int xc, float[] y, int yc) {
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
    public static void avgPoolBackwardPlane(PoolGeom g, float[] dy, int yc, float[] dx, int dc) {
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
}
