package nnc.runtime.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.MAX;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConv;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;

/**
 * {@link SimdDirectConv} and {@link SimdDirectConvPool} for one input channel and a 3x3 kernel on
 * 8 lanes (the first layer of the sample CNNs), with the output channels on the lanes: 8
 * channels' weights per tap are one vector, each input value is broadcast. A block of 2 x 4
 * outputs (rows {@code R, R + 1}, columns {@code Q .. Q + 3}; for the pooled kernel, the windows
 * of pooled outputs {@code (i, j)} and {@code (i, j + 1)}) reads the 4 x 6 patch from
 * {@code xp[R, Q]}; each value of it is broadcast once and feeds every output whose window holds
 * it: 24 broadcasts and 18 weight vectors for 72 fused multiply-adds into 8 accumulators. The
 * position tiles of the two kernels (16 accumulators with 4 or 8 broadcast weights and the
 * inputs: more than AVX2's 16 registers) reached about 40% of the FMA peak on a Zen 3 core; on
 * the tutorial's first layer alone this took about a quarter less time pooled and about 5% less
 * unpooled, where the transposition of 4 times as many outputs costs more.
 *
 * <pre>
 *   s[o, R + a, Q + e] = fma over (s, t) in row-major order of xp[R + s, Q + t] * w[o, s - a, t - e]
 *                        (over the window's taps, in the order of {@link DirectConv}: the same bits)
 *   z[p * 8 + o % 8]   = s[o, p]  or, pooled,  max over (a, e) of s[o, 2i + a, 2j + e]   (p = i * PW + j;
 *                        the block's 8 sums go to a scratch past the plane first, except on the
 *                        ReLU fast path below, which pools in registers)
 *   y[o, p]            = act(z[p * 8 + o % 8] + bias[o]), transposed by {@link Transpose8#out}; then epi
 *                        (or, pooled and channel-blocked by 8, y[o / 8, p, o % 8]: plain vector stores)
 * </pre>
 *
 * <p>Pooled with the ReLU, a sample whose sums can be neither infinite nor NaN takes the maxima,
 * the bias and the ReLU in the block's registers and stores the two pooled vectors (into y
 * itself where it is channel-blocked): the same values by cheaper instructions ({@link #block}).
 * On the tutorial's first layer alone this took about a fifth less time; an odd last pooled column
 * then goes down the rows ({@link SingleChannelColumn}) instead of being moved back.
 *
 * <p>An unpadded sample whose every row and column some window reads ({@code DirectConv.unpadded})
 * is read where it is instead of through the padded copy: the same values at the same offsets.
 *
 * <p>Blocks go along the rows; the last block of a row (and the last pair of rows) is moved back
 * inside the output: it recomputes the same values.
 */
final class SingleChannelConv {
    static final VectorSpecies<Float> S = Transpose8.S;
    static final int L = Transpose8.L;
    /** Ints in vectors of {@link #S}'s shape, for {@link #maxAbs}. */
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());
    /** Floats per block of 8 channels in {@link #packed}: 9 taps and the biases. */
    private static final int PACKED = 10 * L;

    private SingleChannelConv() {
    }

    /** One input channel, a 3x3 kernel, 8 preferred lanes, an output of 2 x 4 and a vector or more. */
    static boolean applies(ConvGeom g) {
        return SimdDirectConv.L == L && g.c() == 1 && g.kh() == 3 && g.kw() == 3 && g.oh() >= 2 && g.ow() >= 4
                && g.p() >= L;
    }

    /** The same with pooling: rows of two pooled outputs, planes of a vector. */
    static boolean applies(ConvGeom g, PoolGeom pool) {
        return SimdDirectConv.L == L && g.c() == 1 && g.kh() == 3 && g.kw() == 3 && pool.ow() >= 2
                && pool.oh() * pool.ow() >= L;
    }

    /** {@link SimdDirectConv#forward} where {@link #applies(ConvGeom)}, with the same folded epilogue steps. */
    static void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff,
                        float[] y, int yOff, Epilogue epi) {
        int wp = DirectConv.paddedWidth(g);
        int blocks = (g.o() + L - 1) / L;
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, DirectConv.paddedHeight(g) * wp);
        float[] wk = packed(ws, g, w, wOff, null, 0);
        float[] z = ws.floats(Workspace.Buffer.DIRECT_OUT, g.p() * L);
        int[] pix = pixels(ws, g.p());
        int folded = DirectConv.folded(g, yOff, epi);
        Epilogue.Bias bias = folded > 0 && epi.step(0) instanceof Epilogue.Bias b ? b : null;
        float[] src = DirectConv.unpadded(g) ? x : xp;
        for (int b = b0; b < b1; b++) {
            int at = DirectConv.padOrInPlace(g, wp, x, xOff + b * g.inSize(), xp);
            int yb = yOff + b * g.outSize();
            for (int blk = 0; blk < blocks; blk++) {
                for (int i = 0; i < g.oh(); i += 2) {
                    int ii = Math.min(i, g.oh() - 2);
                    for (int j = 0; j < g.ow(); j += 4) {
                        int jj = Math.min(j, g.ow() - 4);
                        block(src, at + ii * wp + jj, wp, wk, blk * PACKED, false, z, (ii * g.ow() + jj) * L,
                                g.ow() * L);
                    }
                }
                int o0 = blk * L;
                int count = Math.min(L, g.o() - o0);
                Transpose8.out(z, pix, y, yb + o0 * g.p(), count, g.p(), bias == null ? null : bias.b(),
                        bias == null ? 0 : bias.bOff(), o0, g.o(), DirectConv.foldedRelu(epi, folded));
                if (folded < epi.size()) {
                    epi.apply(folded, y, yb + o0 * g.p(), count * g.p());
                }
            }
        }
    }

    /**
     * {@link SimdDirectConvPool#forward} where {@link #applies(ConvGeom, PoolGeom)}. With the ReLU, a
     * sample whose sums cannot overflow ({@link #bounded}) takes the pooling, bias and ReLU in the
     * block's registers ({@link #block}); any other sample, its sums through {@link #maxima}.
     */
    static void forward(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x, int xOff,
                        float[] w, int wOff, float[] bias, int bOff, float[] y, int yOff, int yBlock, Epilogue epi) {
        int wp = DirectConv.paddedWidth(g);
        int plane = pool.oh() * pool.ow();
        int blocks = (g.o() + L - 1) / L;
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, DirectConv.paddedHeight(g) * wp);
        float[] wk = packed(ws, g, w, wOff, bias, bOff);
        float[] z = ws.floats(Workspace.Buffer.DIRECT_OUT, (plane + 8) * L);
        int[] pix = pixels(ws, plane);
        float[] src = DirectConv.unpadded(g) ? x : xp;
        float wMax = relu ? maxAbs(w, wOff, g.weightSize()) : Float.NaN;
        for (int b = b0; b < b1; b++) {
            int at = DirectConv.padOrInPlace(g, wp, x, xOff + b * g.inSize(), xp);
            boolean fast = relu && bounded(x, xOff + b * g.inSize(), g.inSize(), wMax);
            int yb = yOff + b * pool.outSize();
            for (int blk = 0; blk < blocks; blk++) {
                int o0 = blk * L;
                int count = Math.min(L, g.o() - o0);
                if (fast && yBlock == L) {
                    plane(src, at, wp, wk, blk * PACKED, pool, true, y, yb + o0 * plane);
                    continue;
                }
                plane(src, at, wp, wk, blk * PACKED, pool, fast, z, 0);
                if (yBlock == L) {
                    storeBlocked(z, plane, bias, bOff + o0, relu, y, yb + o0 * plane);
                    continue;
                }
                // the fast blocks' values have their bias and ReLU: -0 and no ReLU change nothing
                Transpose8.out(z, pix, y, yb + o0 * plane, count, plane, fast ? null : bias, bOff, o0, g.o(),
                        relu && !fast);
                if (!epi.isEmpty()) {
                    epi.apply(y, yb + o0 * plane, count * plane);
                }
            }
        }
    }

    /**
     * One block of 8 channels of a sample, pooled: {@code act(max + bias)} by {@link #block} in
     * registers where {@code fast}, else the maxima of the sums, at {@code z[zo + p * 8 ..]}. Fast,
     * an odd last column goes down the rows ({@link SingleChannelColumn}) where there are two rows.
     */
    private static void plane(float[] src, int at, int wp, float[] wk, int wo, PoolGeom pool, boolean fast,
                              float[] z, int zo) {
        int pw = pool.ow();
        int pairs = fast && pool.oh() >= 2 ? pw & ~1 : pw;
        int sums = pool.oh() * pw * L;
        for (int i = 0; i < pool.oh(); i++) {
            for (int j = 0; j < pairs; j += 2) {
                int jj = Math.min(j, pairs - 2);
                int r = at + 2 * i * wp + 2 * jj;
                int q = zo + (i * pw + jj) * L;
                if (fast) {
                    block(src, r, wp, wk, wo, true, z, q, 0);
                } else {
                    block(src, r, wp, wk, wo, false, z, sums, 4 * L);
                    maxima(z, sums, q);
                }
            }
        }
        if (pairs < pw) {
            SingleChannelColumn.pooled(src, at + 2 * pairs, wp, wk, wo, pool, z, zo + pairs * L);
        }
    }

    /**
     * Whether no sum of a sample {@code x[from .. from + n)} can overflow (nor be NaN): 9 products
     * of a magnitude at most {@code max |x| * wMax}, with room to spare for their roundings.
     */
    private static boolean bounded(float[] x, int from, int n, float wMax) {
        return 16.0 * maxAbs(x, from, n) * wMax < Float.MAX_VALUE;
    }

    /**
     * The largest magnitude in {@code a[from .. from + n)}, NaN if one is NaN: as ints, the bits of
     * magnitudes have the order of the magnitudes, and NaNs' bits are above infinity's.
     */
    private static float maxAbs(float[] a, int from, int n) {
        IntVector m = IntVector.zero(IS);
        int i = 0;
        for (; i <= n - L; i += L) {
            m = m.max(FloatVector.fromArray(S, a, from + i).reinterpretAsInts().and(Integer.MAX_VALUE));
        }
        int bits = m.reduceLanes(MAX);
        for (; i < n; i++) {
            bits = Math.max(bits, Float.floatToRawIntBits(a[from + i]) & Integer.MAX_VALUE);
        }
        return Float.intBitsToFloat(bits);
    }

    /**
     * A block of 8 channels stored channel-blocked ({@code nnc.runtime.kernels.ChannelLayout}):
     * {@code y[at + p * 8 ..] = act(z[p * 8 ..] + bias[bo ..])}, whole vectors, the additions
     * and maxima of {@link Transpose8#out} (the same bits). The caller checked 8 divides O.
     */
    private static void storeBlocked(float[] z, int plane, float[] bias, int bo, boolean relu, float[] y, int at) {
        // a maximum with -infinity changes no value (not even -0 or NaN)
        FloatVector lo = FloatVector.broadcast(S, relu ? 0f : Float.NEGATIVE_INFINITY);
        FloatVector b = FloatVector.fromArray(S, bias, bo);
        for (int p = 0; p < plane; p++) {
            FloatVector.fromArray(S, z, p * L).add(b).max(lo).intoArray(y, at + p * L);
        }
    }

    /**
     * The pooled values of a block's two 2 x 2 windows, {@code z[at]} and {@code z[at + 8]}, from
     * its sums at {@code z[from ..]} (two rows of 4 outputs, 4 vectors apart).
     */
    private static void maxima(float[] z, int from, int at) {
        for (int k = 0; k < 2; k++) {
            int s = from + 2 * k * L;
            FloatVector top = FloatVector.fromArray(S, z, s).max(FloatVector.fromArray(S, z, s + L));
            top.max(FloatVector.fromArray(S, z, s + 4 * L).max(FloatVector.fromArray(S, z, s + 5 * L)))
                    .intoArray(z, at + k * L);
        }
    }

    /**
     * The weights by block of 8 channels and tap, then the block's biases:
     * {@code wk[o / 8 * PACKED + t * 8 + o % 8]}, {@code t < 9}, and {@code wk[o / 8 * PACKED + 72 + o % 8]},
     * zero weights and -0 biases (which add nothing) past O or without a bias.
     */
    private static float[] packed(Workspace ws, ConvGeom g, float[] w, int wOff, float[] bias, int bOff) {
        int blocks = (g.o() + L - 1) / L;
        float[] wk = ws.floats(Workspace.Buffer.DIRECT_W, blocks * PACKED);
        for (int o = 0; o < blocks * L; o++) {
            int at = (o / L) * PACKED + o % L;
            for (int t = 0; t < 9; t++) {
                wk[at + t * L] = o < g.o() ? w[wOff + o * 9 + t] : 0f;
            }
            wk[at + 9 * L] = o < g.o() && bias != null ? bias[bOff + o] : -0f;
        }
        return wk;
    }

    /** Where output {@code p}'s 8 channels are in {@code z}: {@code p * 8}, for {@link Transpose8#out}. */
    private static int[] pixels(Workspace ws, int n) {
        int[] pix = ws.ints(n);
        for (int p = 0; p < n; p++) {
            pix[p] = p * L;
        }
        return pix;
    }

    /**
     * The 2 x 4 outputs of the 8 channels at {@code wk[wo ..]} whose windows start at {@code xp[r]}:
     * accumulator {@code a<a><e>} is output {@code (a, e)} of the block, {@code b<a><e>} output
     * {@code (a, 2 + e)}. Stored at {@code z[zo ..]} as two rows of 4 outputs {@code zRow} apart, or,
     * {@code pooled}, as the block's two pooled values {@code act(max + bias)} with the ReLU,
     * {@code z[zo]} and {@code z[zo + 8]}. A lane-wise maximum of the Vector API is 5 instructions
     * on AVX2 (for NaN and -0); the pooled block takes the larger of two sums by a comparison and a
     * blend instead: the same value where no sum is NaN (the caller's {@link #bounded}), and a 0 of
     * either sign gives +0 after the bias and the ReLU, {@code v <= 0 ? +0 : v} (the same bits as
     * {@code max(v, +0)}, NaN included).
     * The vectors stay in this method (a vector passed to a helper that C2 does not inline is
     * boxed); a row of weights is loaded where the patch's row first needs it, so at most two rows
     * are live: 8 accumulators, 6 weights and the broadcast value fit AVX2's 16 registers.
     */
    private static void block(float[] xp, int r, int wp, float[] wk, int wo, boolean pooled, float[] z, int zo,
                              int zRow) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00;
        FloatVector b00 = a00, b01 = a00, b10 = a00, b11 = a00, v, w0, w1, w2, w3, w4, w5, w6, w7, w8;
        w0 = FloatVector.fromArray(S, wk, wo);
        w1 = FloatVector.fromArray(S, wk, wo + L);
        w2 = FloatVector.fromArray(S, wk, wo + 2 * L);
        v = FloatVector.broadcast(S, xp[r]);
        a00 = v.fma(w0, a00);
        v = FloatVector.broadcast(S, xp[r + 1]);
        a00 = v.fma(w1, a00); a01 = v.fma(w0, a01);
        v = FloatVector.broadcast(S, xp[r + 2]);
        a00 = v.fma(w2, a00); a01 = v.fma(w1, a01); b00 = v.fma(w0, b00);
        v = FloatVector.broadcast(S, xp[r + 3]);
        a01 = v.fma(w2, a01); b00 = v.fma(w1, b00); b01 = v.fma(w0, b01);
        v = FloatVector.broadcast(S, xp[r + 4]);
        b00 = v.fma(w2, b00); b01 = v.fma(w1, b01);
        v = FloatVector.broadcast(S, xp[r + 5]);
        b01 = v.fma(w2, b01);
        w3 = FloatVector.fromArray(S, wk, wo + 3 * L);
        w4 = FloatVector.fromArray(S, wk, wo + 4 * L);
        w5 = FloatVector.fromArray(S, wk, wo + 5 * L);
        v = FloatVector.broadcast(S, xp[r + wp]);
        a00 = v.fma(w3, a00); a10 = v.fma(w0, a10);
        v = FloatVector.broadcast(S, xp[r + wp + 1]);
        a00 = v.fma(w4, a00); a01 = v.fma(w3, a01); a10 = v.fma(w1, a10); a11 = v.fma(w0, a11);
        v = FloatVector.broadcast(S, xp[r + wp + 2]);
        a00 = v.fma(w5, a00); a01 = v.fma(w4, a01); a10 = v.fma(w2, a10); a11 = v.fma(w1, a11);
        b00 = v.fma(w3, b00); b10 = v.fma(w0, b10);
        v = FloatVector.broadcast(S, xp[r + wp + 3]);
        a01 = v.fma(w5, a01); a11 = v.fma(w2, a11); b00 = v.fma(w4, b00); b01 = v.fma(w3, b01);
        b10 = v.fma(w1, b10); b11 = v.fma(w0, b11);
        v = FloatVector.broadcast(S, xp[r + wp + 4]);
        b00 = v.fma(w5, b00); b01 = v.fma(w4, b01); b10 = v.fma(w2, b10); b11 = v.fma(w1, b11);
        v = FloatVector.broadcast(S, xp[r + wp + 5]);
        b01 = v.fma(w5, b01); b11 = v.fma(w2, b11);
        w6 = FloatVector.fromArray(S, wk, wo + 6 * L);
        w7 = FloatVector.fromArray(S, wk, wo + 7 * L);
        w8 = FloatVector.fromArray(S, wk, wo + 8 * L);
        v = FloatVector.broadcast(S, xp[r + 2 * wp]);
        a00 = v.fma(w6, a00); a10 = v.fma(w3, a10);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 1]);
        a00 = v.fma(w7, a00); a01 = v.fma(w6, a01); a10 = v.fma(w4, a10); a11 = v.fma(w3, a11);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 2]);
        a00 = v.fma(w8, a00); a01 = v.fma(w7, a01); a10 = v.fma(w5, a10); a11 = v.fma(w4, a11);
        b00 = v.fma(w6, b00); b10 = v.fma(w3, b10);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 3]);
        a01 = v.fma(w8, a01); a11 = v.fma(w5, a11); b00 = v.fma(w7, b00); b01 = v.fma(w6, b01);
        b10 = v.fma(w4, b10); b11 = v.fma(w3, b11);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 4]);
        b00 = v.fma(w8, b00); b01 = v.fma(w7, b01); b10 = v.fma(w5, b10); b11 = v.fma(w4, b11);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 5]);
        b01 = v.fma(w8, b01); b11 = v.fma(w5, b11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp]);
        a10 = v.fma(w6, a10);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 1]);
        a10 = v.fma(w7, a10); a11 = v.fma(w6, a11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 2]);
        a10 = v.fma(w8, a10); a11 = v.fma(w7, a11); b10 = v.fma(w6, b10);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 3]);
        a11 = v.fma(w8, a11); b10 = v.fma(w7, b10); b11 = v.fma(w6, b11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 4]);
        b10 = v.fma(w8, b10); b11 = v.fma(w7, b11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 5]);
        b11 = v.fma(w8, b11);
        if (pooled) {
            FloatVector zero = FloatVector.zero(S);
            FloatVector bias = FloatVector.fromArray(S, wk, wo + 9 * L);
            a00 = a01.blend(a00, a00.compare(GT, a01));
            a10 = a11.blend(a10, a10.compare(GT, a11));
            a00 = a10.blend(a00, a00.compare(GT, a10)).add(bias);
            a00.blend(zero, a00.compare(LE, zero)).intoArray(z, zo);
            b00 = b01.blend(b00, b00.compare(GT, b01));
            b10 = b11.blend(b10, b10.compare(GT, b11));
            b00 = b10.blend(b00, b00.compare(GT, b10)).add(bias);
            b00.blend(zero, b00.compare(LE, zero)).intoArray(z, zo + L);
            return;
        }
        a00.intoArray(z, zo);
        a01.intoArray(z, zo + L);
        b00.intoArray(z, zo + 2 * L);
        b01.intoArray(z, zo + 3 * L);
        a10.intoArray(z, zo + zRow);
        a11.intoArray(z, zo + zRow + L);
        b10.intoArray(z, zo + zRow + 2 * L);
        b11.intoArray(z, zo + zRow + 3 * L);
    }
}
