package nnc.runtime.kernels.scalar;

import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ChannelLayout;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConvPool;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;

/**
 * The reference twin of {@code simd.SimdDirectConvPool}: each sample's convolution by
 * {@link ScalarDirectConv} (the same sums as the SIMD kernels), then {@link #pool}: the 2x2
 * maxima, the bias, the ReLU.
 *
 * <pre>
 *   y[b, o, i, j] = epi( act( max over a, e in {0, 1} of s_b[o, 2i + a, 2j + e] + bias[o] ) )
 *                   (stored NCHW, or channel-blocked: {@link ChannelLayout#index})
 *   s_b[o, r, q]  = fma over c, u, v of xp_b[c, r + u, q + v] * w[o, c, u, v]
 * </pre>
 */
public final class ScalarDirectConvPool implements DirectConvPool {
    private final ScalarDirectConv direct = new ScalarDirectConv();

    @Override
    public void forward(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x, int xOff,
                        float[] w, int wOff, float[] bias, int bOff, float[] y, int yOff, int yBlock, Epilogue epi) {
        float[] s = ws.floats(Workspace.Buffer.DIRECT_OUT, g.outSize());
        for (int b = b0; b < b1; b++) {
            direct.forward(ws, g, b, b + 1, x, xOff, w, wOff, s, -b * g.outSize(), Epilogue.NONE);
            pool(g, pool, relu, s, bias, bOff, y, yOff + b * pool.outSize(), yBlock, epi);
        }
    }

    /**
     * One sample: {@code y[yb ..] = epi(act(max of each 2x2 window of s[0 ..] [O, OH, OW] + bias))},
     * the maximum taken first, as the SIMD kernels take it (the same values as adding the bias
     * and applying the ReLU first: both are monotone). {@code y} blocked by {@code yBlock} channels
     * ({@link ChannelLayout}).
     */
    static void pool(ConvGeom g, PoolGeom pool, boolean relu, float[] s, float[] bias, int bOff, float[] y, int yb,
                     int yBlock, Epilogue epi) {
        int plane = pool.oh() * pool.ow();
        for (int o = 0; o < g.o(); o++) {
            for (int i = 0; i < pool.oh(); i++) {
                for (int j = 0; j < pool.ow(); j++) {
                    int at = (o * g.oh() + 2 * i) * g.ow() + 2 * j;
                    float m = Math.max(Math.max(s[at], s[at + 1]), Math.max(s[at + g.ow()], s[at + g.ow() + 1]));
                    float v = m + bias[bOff + o];
                    y[yb + ChannelLayout.index(o, i * pool.ow() + j, plane, yBlock)] = relu ? Math.max(v, 0f) : v;
                }
            }
        }
        if (!epi.isEmpty()) {
            epi.apply(y, yb, pool.outSize());
        }
    }
}
