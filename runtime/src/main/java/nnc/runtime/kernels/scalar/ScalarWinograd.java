package nnc.runtime.kernels.scalar;

import static nnc.runtime.kernels.Winograd.ALPHA;
import static nnc.runtime.kernels.Winograd.M;
import static nnc.runtime.kernels.Winograd.R;

import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ChannelLayout;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;
import nnc.runtime.kernels.Winograd;

/**
 * Winograd F(4x4, 3x3) as its definition reads: each transform is the matrix sandwich of
 * {@link Winograd} ({@code B^T d B}, {@code G w G^T}, {@code A^T M A}, {@code A dY A^T},
 * {@code G^T P G}) multiplied out in plain loops, one tile at a time. The SIMD twin is checked
 * against it. Layouts: transformed weights {@code U [36][O][C]}, partials {@code [36][O][C]}.
 */
public final class ScalarWinograd implements Winograd {
    private static final float[][] BT_F = floats(BT);
    private static final float[][] G_F = floats(G);
    private static final float[][] AT_F = floats(AT);
    private static final float[][] A_F = transpose(AT_F);
    private static final float[][] GT_F = transpose(G_F);
    private static final int XI = ALPHA * ALPHA;

    @Override
    public int weightsSize(ConvGeom g) {
        return XI * g.o() * g.c();
    }

    @Override
    public int weightGroup() {
        return 1;
    }

    @Override
    public int tileBlock() {
        return 1;
    }

    @Override
    public void transformWeights(Workspace ws, ConvGeom g, boolean flip, int o0, int o1, float[] w, int wOff, float[] u) {
        float[] k = new float[R * R];
        float[] t = new float[XI];
        for (int o = o0; o < Math.min(o1, g.o()); o++) {
            for (int c = 0; c < g.c(); c++) {
                for (int a = 0; a < R; a++) {
                    for (int b = 0; b < R; b++) {
                        k[a * R + b] = Winograd.tap(g, flip, w, wOff, o, c, a, b);
                    }
                }
                sandwich(G_F, k, R, G_F, t, 0);
                for (int xi = 0; xi < XI; xi++) {
                    u[(xi * g.o() + o) * g.c() + c] = t[xi];
                }
            }
        }
    }

    @Override
    public void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] u, float[] y, int yOff,
                        Epilogue epi) {
        float[] d = new float[XI];
        float[] v = new float[g.c() * XI];
        float[] m = new float[XI];
        float[] out = new float[M * M];
        for (int b = b0; b < b1; b++) {
            int yb = yOff + b * g.outSize();
            for (int ti = 0; ti < Winograd.tilesH(g); ti++) {
                for (int tj = 0; tj < Winograd.tilesW(g); tj++) {
                    for (int c = 0; c < g.c(); c++) {
                        patch(g, x, xOff + (b * g.c() + c) * g.h() * g.w(), ti, tj, d);
                        sandwich(BT_F, d, ALPHA, BT_F, v, c * XI);
                    }
                    for (int o = 0; o < g.o(); o++) {
                        for (int xi = 0; xi < XI; xi++) {
                            float s = 0;
                            for (int c = 0; c < g.c(); c++) {
                                s += u[(xi * g.o() + o) * g.c() + c] * v[c * XI + xi];
                            }
                            m[xi] = s;
                        }
                        sandwich(AT_F, m, ALPHA, AT_F, out, 0);
                        for (int a = 0; a < M && ti * M + a < g.oh(); a++) {
                            for (int bb = 0; bb < M && tj * M + bb < g.ow(); bb++) {
                                y[yb + (o * g.oh() + ti * M + a) * g.ow() + tj * M + bb] = out[a * M + bb];
                            }
                        }
                    }
                }
            }
            if (!epi.isEmpty()) {
                epi.apply(y, yb, g.outSize());
            }
        }
    }

    /**
     * Each sample by {@link #forward}, then its 2x2 maxima, the bias and the ReLU
     * ({@link ScalarDirectConvPool#pool}); a blocked sample is first converted to NCHW.
     */
    @Override
    public void forwardPooled(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x,
                              int xOff, int xBlock, float[] u, float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        float[] s = new float[g.outSize()];
        float[] nchw = xBlock == 1 ? null : new float[g.inSize()];
        for (int b = b0; b < b1; b++) {
            if (nchw == null) {
                forward(ws, g, b, b + 1, x, xOff, u, s, -b * g.outSize(), Epilogue.NONE);
            } else {
                ChannelLayout.fromBlocked(x, xOff + b * g.inSize(), nchw, 0, g.c(), g.h() * g.w(), xBlock);
                forward(ws, g, 0, 1, nchw, 0, u, s, 0, Epilogue.NONE);
            }
            ScalarDirectConvPool.pool(g, pool, relu, s, bias, bOff, y, yOff + b * pool.outSize(), 1, epi);
        }
    }

    /** NCHW: the reference reads planes. */
    @Override
    public int channelBlock() {
        return 1;
    }

    @Override
    public int partialSize(ConvGeom g) {
        return XI * g.o() * g.c();
    }

    @Override
    public void weightGradient(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                               float[] partial, float[] db) {
        float[] d = new float[XI];
        float[] e = new float[M * M];
        float[] v = new float[g.c() * XI];
        float[] z = new float[g.o() * XI];
        for (int b = b0; b < b1; b++) {
            int yb = dyOff + b * g.outSize();
            for (int ti = 0; ti < Winograd.tilesH(g); ti++) {
                for (int tj = 0; tj < Winograd.tilesW(g); tj++) {
                    for (int c = 0; c < g.c(); c++) {
                        patch(g, x, xOff + (b * g.c() + c) * g.h() * g.w(), ti, tj, d);
                        sandwich(BT_F, d, ALPHA, BT_F, v, c * XI);
                    }
                    for (int o = 0; o < g.o(); o++) {
                        for (int a = 0; a < M; a++) {
                            for (int bb = 0; bb < M; bb++) {
                                int i = ti * M + a;
                                int j = tj * M + bb;
                                e[a * M + bb] = i < g.oh() && j < g.ow() ? dy[yb + (o * g.oh() + i) * g.ow() + j] : 0f;
                            }
                        }
                        sandwich(A_F, e, M, A_F, z, o * XI);
                    }
                    for (int xi = 0; xi < XI; xi++) {
                        for (int o = 0; o < g.o(); o++) {
                            float zo = z[o * XI + xi];
                            int row = (xi * g.o() + o) * g.c();
                            for (int c = 0; c < g.c(); c++) {
                                partial[row + c] += zo * v[c * XI + xi];
                            }
                        }
                    }
                }
            }
            if (db != null) {
                for (int o = 0; o < g.o(); o++) {
                    float s = 0;
                    for (int p = 0; p < g.p(); p++) {
                        s += dy[yb + o * g.p() + p];
                    }
                    db[o] += s;
                }
            }
        }
    }

    @Override
    public void finishWeights(Workspace ws, ConvGeom g, int i0, int i1, float[][] partials, int pieces, float[] dw,
                              int dwOff) {
        float[] p = new float[XI];
        int oc = g.o() * g.c();
        for (int i = i0; i < i1; i++) {
            for (int xi = 0; xi < XI; xi++) {
                float s = 0;
                for (int q = 0; q < pieces; q++) {
                    s += partials[q][xi * oc + i];
                }
                p[xi] = s;
            }
            sandwich(GT_F, p, ALPHA, GT_F, dw, dwOff + i * R * R);
        }
    }

    /** The 6 x 6 input patch of tile (ti, tj) from one channel plane, zero outside it. */
    private static void patch(ConvGeom g, float[] x, int plane, int ti, int tj, float[] d) {
        for (int r = 0; r < ALPHA; r++) {
            int h = ti * M - g.pt() + r;
            for (int s = 0; s < ALPHA; s++) {
                int w = tj * M - g.pl() + s;
                d[r * ALPHA + s] = h >= 0 && h < g.h() && w >= 0 && w < g.w() ? x[plane + h * g.w() + w] : 0f;
            }
        }
    }

    /**
     * {@code out [p x q] = left [p x n] . in [n x n] . right^T [n x q]} (in is square), in float,
     * at {@code out[outOff]}: the rows of {@code in} first, then its columns.
     */
    static void sandwich(float[][] left, float[] in, int n, float[][] right, float[] out, int outOff) {
        int p = left.length;
        int q = right.length;
        float[] t = new float[p * n];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int k = 0; k < n; k++) {
                    s += left[i][k] * in[k * n + j];
                }
                t[i * n + j] = s;
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                float s = 0;
                for (int k = 0; k < n; k++) {
                    s += t[i * n + k] * right[j][k];
                }
                out[outOff + i * q + j] = s;
            }
        }
    }

    private static float[][] floats(double[][] m) {
        float[][] f = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            f[i] = new float[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                f[i][j] = (float) m[i][j];
            }
        }
        return f;
    }

    private static float[][] transpose(float[][] m) {
        float[][] t = new float[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }
}
