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
 * </pre>
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
}
