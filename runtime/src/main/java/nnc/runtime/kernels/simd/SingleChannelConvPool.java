package nnc.runtime.kernels.simd;

import static jdk.incubator.vector.FloatVector.fromArray;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConv;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;

/**
 * {@link SimdDirectConvPool} for one input channel and a 3x3 kernel on 8 lanes (the first layer
 * of the sample CNNs), with the output channels on the lanes: 8 channels' weights per tap are
 * one vector, each input value is broadcast. A pooled output {@code (i, j)} reads the 4 x 4
 * patch {@code xp[2i .. 2i + 3, 2j .. 2j + 3]}; each value of it is broadcast once and feeds
 * every parity {@code (a, e)} whose window holds it (tap {@code (s - a, t - e)}), so a pair of
 * pooled outputs takes 24 broadcasts for 72 fused multiply-adds into 8 accumulators, with the
 * weights read from memory by the multiply-adds. The position tiles of {@link SimdDirectConvPool}
 * (16 accumulators, 4 broadcast weights and an input vector: more than AVX2's 16 registers)
 * reached about 40% of the FMA peak here; this measured about a quarter faster (performance.md).
 *
 * <pre>
 *   s[o, (a, e), i, j] = fma over (s, t) in row-major order of xp[2i + s, 2j + t] * w[o, s - a, t - e]
 *                         (the taps of the window, in the order of {@link SimdDirectConv}: the same bits)
 *   z[(i * PW + j) * 8 + o % 8] = max over (a, e) of s[o, (a, e), i, j]       8 channels at a time
 *   y[o, i, j]         = act(z + bias[o]), transposed by {@link Transpose8#out}, then epi per block
 * </pre>
 *
 * Pooled outputs go in pairs {@code (j, j + 1)} along a row; the last pair of a row is moved back
 * inside it (it recomputes the same values).
 */
final class SingleChannelConvPool {
    static final VectorSpecies<Float> S = Transpose8.S;
    static final int L = Transpose8.L;

    private SingleChannelConvPool() {
    }

    /** One input channel, a 3x3 kernel, 8 preferred lanes, rows of two pooled outputs and planes of a vector. */
    static boolean applies(ConvGeom g, PoolGeom pool) {
        return SimdDirectConvPool.L == L && g.c() == 1 && g.kh() == 3 && g.kw() == 3 && pool.ow() >= 2
                && pool.oh() * pool.ow() >= L;
    }

    /** {@link SimdDirectConvPool#forward} where {@link #applies}. */
    static void forward(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x, int xOff,
                        float[] w, int wOff, float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        int wp = DirectConv.paddedWidth(g);
        int plane = pool.oh() * pool.ow();
        int blocks = (g.o() + L - 1) / L;
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, DirectConv.paddedHeight(g) * wp);
        float[] wk = ws.floats(Workspace.Buffer.DIRECT_W, blocks * 9 * L);
        float[] z = ws.floats(Workspace.Buffer.DIRECT_OUT, plane * L);
        int[] pix = ws.ints(plane);
        for (int o = 0; o < blocks * L; o++) {
            for (int t = 0; t < 9; t++) {
                wk[((o / L) * 9 + t) * L + o % L] = o < g.o() ? w[wOff + o * 9 + t] : 0f;
            }
        }
        for (int p = 0; p < plane; p++) {
            pix[p] = p * L;
        }
        for (int b = b0; b < b1; b++) {
            DirectConv.pad(g, wp, x, xOff + b * g.inSize(), xp);
            int yb = yOff + b * pool.outSize();
            for (int blk = 0; blk < blocks; blk++) {
                int o0 = blk * L;
                int count = Math.min(L, g.o() - o0);
                for (int i = 0; i < pool.oh(); i++) {
                    for (int j = 0; j < pool.ow(); j += 2) {
                        int jj = Math.min(j, pool.ow() - 2);
                        pair(xp, 2 * i * wp + 2 * jj, wp, wk, blk * 9 * L, z, (i * pool.ow() + jj) * L);
                    }
                }
                Transpose8.out(z, pix, y, yb + o0 * plane, count, plane, bias, bOff, o0, g.o(), relu);
                if (!epi.isEmpty()) {
                    epi.apply(y, yb + o0 * plane, count * plane);
                }
            }
        }
    }

    /**
     * {@code z[zo ..]} and {@code z[zo + L ..]}: the pooled maxima of the 8 channels at
     * {@code wk[wo ..]} for the pooled outputs whose patches start at {@code xp[r]} and
     * {@code xp[r + 2]}. Accumulator {@code a<a><e>} is parity {@code (a, e)} of the first,
     * {@code b<a><e>} of the second. The vectors stay in this method (a vector passed to a helper
     * that C2 does not inline is boxed); the weights are loaded at each use (kept in registers
     * they spill, which measured slower).
     */
    private static void pair(float[] xp, int r, int wp, float[] wk, int wo, float[] z, int zo) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00;
        FloatVector b00 = a00, b01 = a00, b10 = a00, b11 = a00, v;
        v = FloatVector.broadcast(S, xp[r]);
        a00 = v.fma(fromArray(S, wk, wo), a00);
        v = FloatVector.broadcast(S, xp[r + 1]);
        a00 = v.fma(fromArray(S, wk, wo + L), a00); a01 = v.fma(fromArray(S, wk, wo), a01);
        v = FloatVector.broadcast(S, xp[r + 2]);
        a00 = v.fma(fromArray(S, wk, wo + 2 * L), a00); a01 = v.fma(fromArray(S, wk, wo + L), a01);
        b00 = v.fma(fromArray(S, wk, wo), b00);
        v = FloatVector.broadcast(S, xp[r + 3]);
        a01 = v.fma(fromArray(S, wk, wo + 2 * L), a01); b00 = v.fma(fromArray(S, wk, wo + L), b00);
        b01 = v.fma(fromArray(S, wk, wo), b01);
        v = FloatVector.broadcast(S, xp[r + 4]);
        b00 = v.fma(fromArray(S, wk, wo + 2 * L), b00); b01 = v.fma(fromArray(S, wk, wo + L), b01);
        v = FloatVector.broadcast(S, xp[r + 5]);
        b01 = v.fma(fromArray(S, wk, wo + 2 * L), b01);
        v = FloatVector.broadcast(S, xp[r + wp]);
        a00 = v.fma(fromArray(S, wk, wo + 3 * L), a00); a10 = v.fma(fromArray(S, wk, wo), a10);
        v = FloatVector.broadcast(S, xp[r + wp + 1]);
        a00 = v.fma(fromArray(S, wk, wo + 4 * L), a00); a01 = v.fma(fromArray(S, wk, wo + 3 * L), a01);
        a10 = v.fma(fromArray(S, wk, wo + L), a10); a11 = v.fma(fromArray(S, wk, wo), a11);
        v = FloatVector.broadcast(S, xp[r + wp + 2]);
        a00 = v.fma(fromArray(S, wk, wo + 5 * L), a00); a01 = v.fma(fromArray(S, wk, wo + 4 * L), a01);
        a10 = v.fma(fromArray(S, wk, wo + 2 * L), a10); a11 = v.fma(fromArray(S, wk, wo + L), a11);
        b00 = v.fma(fromArray(S, wk, wo + 3 * L), b00); b10 = v.fma(fromArray(S, wk, wo), b10);
        v = FloatVector.broadcast(S, xp[r + wp + 3]);
        a01 = v.fma(fromArray(S, wk, wo + 5 * L), a01); a11 = v.fma(fromArray(S, wk, wo + 2 * L), a11);
        b00 = v.fma(fromArray(S, wk, wo + 4 * L), b00); b01 = v.fma(fromArray(S, wk, wo + 3 * L), b01);
        b10 = v.fma(fromArray(S, wk, wo + L), b10); b11 = v.fma(fromArray(S, wk, wo), b11);
        v = FloatVector.broadcast(S, xp[r + wp + 4]);
        b00 = v.fma(fromArray(S, wk, wo + 5 * L), b00); b01 = v.fma(fromArray(S, wk, wo + 4 * L), b01);
        b10 = v.fma(fromArray(S, wk, wo + 2 * L), b10); b11 = v.fma(fromArray(S, wk, wo + L), b11);
        v = FloatVector.broadcast(S, xp[r + wp + 5]);
        b01 = v.fma(fromArray(S, wk, wo + 5 * L), b01); b11 = v.fma(fromArray(S, wk, wo + 2 * L), b11);
        v = FloatVector.broadcast(S, xp[r + 2 * wp]);
        a00 = v.fma(fromArray(S, wk, wo + 6 * L), a00); a10 = v.fma(fromArray(S, wk, wo + 3 * L), a10);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 1]);
        a00 = v.fma(fromArray(S, wk, wo + 7 * L), a00); a01 = v.fma(fromArray(S, wk, wo + 6 * L), a01);
        a10 = v.fma(fromArray(S, wk, wo + 4 * L), a10); a11 = v.fma(fromArray(S, wk, wo + 3 * L), a11);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 2]);
        a00 = v.fma(fromArray(S, wk, wo + 8 * L), a00); a01 = v.fma(fromArray(S, wk, wo + 7 * L), a01);
        a10 = v.fma(fromArray(S, wk, wo + 5 * L), a10); a11 = v.fma(fromArray(S, wk, wo + 4 * L), a11);
        b00 = v.fma(fromArray(S, wk, wo + 6 * L), b00); b10 = v.fma(fromArray(S, wk, wo + 3 * L), b10);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 3]);
        a01 = v.fma(fromArray(S, wk, wo + 8 * L), a01); a11 = v.fma(fromArray(S, wk, wo + 5 * L), a11);
        b00 = v.fma(fromArray(S, wk, wo + 7 * L), b00); b01 = v.fma(fromArray(S, wk, wo + 6 * L), b01);
        b10 = v.fma(fromArray(S, wk, wo + 4 * L), b10); b11 = v.fma(fromArray(S, wk, wo + 3 * L), b11);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 4]);
        b00 = v.fma(fromArray(S, wk, wo + 8 * L), b00); b01 = v.fma(fromArray(S, wk, wo + 7 * L), b01);
        b10 = v.fma(fromArray(S, wk, wo + 5 * L), b10); b11 = v.fma(fromArray(S, wk, wo + 4 * L), b11);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 5]);
        b01 = v.fma(fromArray(S, wk, wo + 8 * L), b01); b11 = v.fma(fromArray(S, wk, wo + 5 * L), b11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp]);
        a10 = v.fma(fromArray(S, wk, wo + 6 * L), a10);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 1]);
        a10 = v.fma(fromArray(S, wk, wo + 7 * L), a10); a11 = v.fma(fromArray(S, wk, wo + 6 * L), a11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 2]);
        a10 = v.fma(fromArray(S, wk, wo + 8 * L), a10); a11 = v.fma(fromArray(S, wk, wo + 7 * L), a11);
        b10 = v.fma(fromArray(S, wk, wo + 6 * L), b10);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 3]);
        a11 = v.fma(fromArray(S, wk, wo + 8 * L), a11); b10 = v.fma(fromArray(S, wk, wo + 7 * L), b10);
        b11 = v.fma(fromArray(S, wk, wo + 6 * L), b11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 4]);
        b10 = v.fma(fromArray(S, wk, wo + 8 * L), b10); b11 = v.fma(fromArray(S, wk, wo + 7 * L), b11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 5]);
        b11 = v.fma(fromArray(S, wk, wo + 8 * L), b11);
        a00.max(a01).max(a10.max(a11)).intoArray(z, zo);
        b00.max(b01).max(b10.max(b11)).intoArray(z, zo + L);
    }
}
