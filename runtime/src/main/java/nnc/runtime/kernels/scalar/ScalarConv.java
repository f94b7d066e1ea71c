package nnc.runtime.kernels.scalar;

import java.util.Arrays;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Convolution;
import nnc.runtime.kernels.Epilogue;

/**
 * Reference convolution: direct loops over every index, exactly as the shape comments read.
 * The SIMD twin (im2col + GEMM) is checked against these.
 *
 * <pre>
 *   N batch, C in channels, O out channels, H x W input, OH x OW output, KH x KW kernel
 * </pre>
 */
public final class ScalarConv implements Convolution {
    @Override
    public String convAlgorithm(ConvGeom g) {
        return "reference";
    }

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
}
