package nnc.runtime.kernels.scalar;

import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConv;
import nnc.runtime.kernels.DirectConvPool;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;

/**
 * The reference twin of {@code simd.SimdDirectConvPool}: for each pooled output, the four sums
 * of its window computed as {@link ScalarDirectConv} computes them (the same fused multiply-adds
 * in the same order over the zero-padded sample), their maximum, the bias, the ReLU.
 *
 * <pre>
 *   y[b, o, i, j] = epi( act( max over a, e in {0, 1} of s_b[o, 2i + a, 2j + e] + bias[o] ) )
 *   s_b[o, r, q]  = fma over c, u, v of xp_b[c, r + u, q + v] * w[o, c, u, v]
 * </pre>
 */
public final class ScalarDirectConvPool implements DirectConvPool {
    @Override
    public void forward(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x, int xOff,
                        float[] w, int wOff, float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        int wp = DirectConv.paddedWidth(g);
        int hp = DirectConv.paddedHeight(g);
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, g.c() * hp * wp);
        int plane = pool.oh() * pool.ow();
        for (int b = b0; b < b1; b++) {
            DirectConv.pad(g, wp, x, xOff + b * g.inSize(), xp);
            for (int o = 0; o < g.o(); o++) {
                int at = yOff + b * pool.outSize() + o * plane;
                for (int i = 0; i < pool.oh(); i++) {
                    for (int j = 0; j < pool.ow(); j++) {
                        float m = Float.NEGATIVE_INFINITY;
                        for (int a = 0; a < 2; a++) {
                            for (int e = 0; e < 2; e++) {
                                m = Math.max(m, sum(g, hp, wp, xp, w, wOff, o, 2 * i + a, 2 * j + e));
                            }
                        }
                        float v = m + bias[bOff + o];
                        y[at + i * pool.ow() + j] = relu ? Math.max(v, 0f) : v;
                    }
                }
                if (!epi.isEmpty()) {
                    epi.apply(y, at, plane);
                }
            }
        }
    }

    /** The convolution's output {@code (o, r, q)}, summed as {@link ScalarDirectConv} sums it. */
    private static float sum(ConvGeom g, int hp, int wp, float[] xp, float[] w, int wOff, int o, int r, int q) {
        float s = 0;
        int taps = g.k();
        for (int c = 0; c < g.c(); c++) {
            for (int u = 0; u < g.kh(); u++) {
                int row = (c * hp + r + u) * wp + q;
                int tap = wOff + o * taps + (c * g.kh() + u) * g.kw();
                for (int v = 0; v < g.kw(); v++) {
                    s = Math.fma(xp[row + v], w[tap + v], s);
                }
            }
        }
        return s;
    }
}
