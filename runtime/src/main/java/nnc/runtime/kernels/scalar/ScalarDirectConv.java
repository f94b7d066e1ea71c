package nnc.runtime.kernels.scalar;

import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.Act;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConv;
import nnc.runtime.kernels.Epilogue;

/**
 * The reference twin of {@code simd.SimdDirectConv}: the same zero-padded sample and the same
 * fused multiply-adds in the same order, one output at a time, so both give the same bits.
 *
 * <pre>
 *   y[b, o, i, j] = epi( fma over c, u, v of xp_b[c, i + u, j + v] * w[o, c, u, v] )
 *   dw[o, c, u, v] += fma over b, i, j of dy[b, o, i, j] * xp_b[c, i + u, j + v]
 *   db[o]          += sum over b, i, j of dy[b, o, i, j]
 * </pre>
 *
 * The gradient sums run over the call's samples and positions in order, one float per output.
 */
public final class ScalarDirectConv implements DirectConv {
    @Override
    public void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff,
                        float[] y, int yOff, Epilogue epi) {
        int wp = DirectConv.paddedWidth(g);
        int hp = DirectConv.paddedHeight(g);
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, g.c() * hp * wp);
        int folded = DirectConv.folded(g, yOff, epi);
        boolean relu = DirectConv.foldedRelu(epi, folded);
        int taps = g.k();
        for (int b = b0; b < b1; b++) {
            DirectConv.pad(g, wp, x, xOff + b * g.inSize(), xp);
            for (int o = 0; o < g.o(); o++) {
                float bias = DirectConv.foldedBias(epi, folded, o);
                int plane = yOff + b * g.outSize() + o * g.p();
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++) {
                        float s = 0;
                        for (int c = 0; c < g.c(); c++) {
                            for (int u = 0; u < g.kh(); u++) {
                                int row = (c * hp + i + u) * wp + j;
                                int tap = wOff + o * taps + (c * g.kh() + u) * g.kw();
                                for (int v = 0; v < g.kw(); v++) {
                                    s = Math.fma(xp[row + v], w[tap + v], s);
                                }
                            }
                        }
                        if (folded > 0) {
                            s += bias;
                            s = relu ? Act.RELU.apply(s, 0f) : s;
                        }
                        y[plane + i * g.ow() + j] = s;
                    }
                }
                if (folded < epi.size()) {
                    epi.apply(folded, y, plane, g.p());
                }
            }
        }
    }

    @Override
    public void backwardWeights(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                                float[] dw, float[] db) {
        int wp = DirectConv.paddedWidth(g);
        int hp = DirectConv.paddedHeight(g);
        int taps = g.k();
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, g.c() * hp * wp);
        float[] sums = ws.floats(Workspace.Buffer.DIRECT_SUMS, g.o() * (taps + 1));
        java.util.Arrays.fill(sums, 0, g.o() * (taps + 1), 0f);
        for (int b = b0; b < b1; b++) {
            DirectConv.pad(g, wp, x, xOff + b * g.inSize(), xp);
            for (int o = 0; o < g.o(); o++) {
                int plane = dyOff + b * g.outSize() + o * g.p();
                int at = o * (taps + 1);
                for (int t = 0; t < taps; t++) {
                    sums[at + t] = tapSum(g, hp, wp, t, dy, plane, xp, sums[at + t]);
                }
                float s = sums[at + taps];
                for (int p = 0; p < g.p(); p++) {
                    s += dy[plane + p];
                }
                sums[at + taps] = s;
            }
        }
        for (int o = 0; o < g.o(); o++) {
            for (int t = 0; t < taps; t++) {
                dw[o * taps + t] += sums[o * (taps + 1) + t];
            }
            if (db != null) {
                db[o] += sums[o * (taps + 1) + taps];
            }
        }
    }

    /** {@code s} plus the products of one output plane of dy with tap {@code t = (c, u, v)} of xp, in order. */
    private static float tapSum(ConvGeom g, int hp, int wp, int t, float[] dy, int plane, float[] xp, float s) {
        int v = t % g.kw();
        int u = t / g.kw() % g.kh();
        int c = t / (g.kw() * g.kh());
        for (int i = 0; i < g.oh(); i++) {
            int row = (c * hp + i + u) * wp + v;
            for (int j = 0; j < g.ow(); j++) {
                s = Math.fma(dy[plane + i * g.ow() + j], xp[row + j], s);
            }
        }
        return s;
    }
}
