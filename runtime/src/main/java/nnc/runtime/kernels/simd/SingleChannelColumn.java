package nnc.runtime.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.PoolGeom;

/**
 * The last pooled column of {@link SingleChannelConv}'s pooled plane where its width is odd and the
 * pooled values are taken in registers (the ReLU, sums that cannot overflow): instead of a block of
 * two pooled columns moved back one column, which computes 8 sums again, the column goes down the
 * rows two pooled outputs at a time, a block of 4 x 2 outputs (rows {@code R .. R + 3}, columns
 * {@code Q, Q + 1}) from the 6 x 4 patch at {@code xp[R, Q]}: 24 broadcasts for 72 fused
 * multiply-adds into 8 accumulators, as in {@link SingleChannelConv}'s block, each sum over its
 * window's taps in the same order (the same bits). The last pair of rows is moved back inside the
 * plane where its height is odd. On the tutorial's first layer (13 x 13 pooled) this computes 85
 * blocks a plane instead of 91: about 5% less time.
 *
 * <pre>
 *   s[o, R + a, Q + e] = fma over (s, t) in row-major order of xp[R + s, Q + t] * w[o, s - a, t - e]
 *   z[p * 8 + o % 8]   = act(max over (a, e) of s[o, 2i + a, 2j + e] + bias[o])   (p = i * PW + j, j = PW - 1)
 * </pre>
 */
final class SingleChannelColumn {
    static final VectorSpecies<Float> S = SingleChannelConv.S;
    static final int L = SingleChannelConv.L;

    private SingleChannelColumn() {
    }

    /**
     * The pooled column whose windows start at {@code xp[r]} (the plane's first row, its column
     * {@code 2 (PW - 1)}), 8 channels' weights and biases at {@code wk[wo ..]}, to
     * {@code z[zo + i * PW * 8 ..]}.
     */
    static void pooled(float[] xp, int r, int wp, float[] wk, int wo, PoolGeom pool, float[] z, int zo) {
        int zRow = pool.ow() * L;
        for (int i = 0; i < pool.oh(); i += 2) {
            int ii = Math.min(i, pool.oh() - 2);
            block(xp, r + 2 * ii * wp, wp, wk, wo, z, zo + ii * zRow, zRow);
        }
    }

    /**
     * The 4 x 2 outputs whose windows start at {@code xp[r]}: accumulator {@code a<a><e>} is output
     * {@code (a, e)} of the block, {@code b<a><e>} output {@code (2 + a, e)}; their two pooled
     * values {@code act(max + bias)} to {@code z[zo]} and {@code z[zo + zRow]}, by comparisons and
     * blends as in {@link SingleChannelConv}'s block (the caller checked that no sum is NaN).
     */
    private static void block(float[] xp, int r, int wp, float[] wk, int wo, float[] z, int zo, int zRow) {
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
        a00 = v.fma(w2, a00); a01 = v.fma(w1, a01);
        v = FloatVector.broadcast(S, xp[r + 3]);
        a01 = v.fma(w2, a01);
        w3 = FloatVector.fromArray(S, wk, wo + 3 * L);
        w4 = FloatVector.fromArray(S, wk, wo + 4 * L);
        w5 = FloatVector.fromArray(S, wk, wo + 5 * L);
        v = FloatVector.broadcast(S, xp[r + wp]);
        a00 = v.fma(w3, a00); a10 = v.fma(w0, a10);
        v = FloatVector.broadcast(S, xp[r + wp + 1]);
        a00 = v.fma(w4, a00); a01 = v.fma(w3, a01); a10 = v.fma(w1, a10); a11 = v.fma(w0, a11);
        v = FloatVector.broadcast(S, xp[r + wp + 2]);
        a00 = v.fma(w5, a00); a01 = v.fma(w4, a01); a10 = v.fma(w2, a10); a11 = v.fma(w1, a11);
        v = FloatVector.broadcast(S, xp[r + wp + 3]);
        a01 = v.fma(w5, a01); a11 = v.fma(w2, a11);
        w6 = FloatVector.fromArray(S, wk, wo + 6 * L);
        w7 = FloatVector.fromArray(S, wk, wo + 7 * L);
        w8 = FloatVector.fromArray(S, wk, wo + 8 * L);
        v = FloatVector.broadcast(S, xp[r + 2 * wp]);
        a00 = v.fma(w6, a00); a10 = v.fma(w3, a10); b00 = v.fma(w0, b00);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 1]);
        a00 = v.fma(w7, a00); a01 = v.fma(w6, a01); a10 = v.fma(w4, a10); a11 = v.fma(w3, a11);
        b00 = v.fma(w1, b00); b01 = v.fma(w0, b01);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 2]);
        a00 = v.fma(w8, a00); a01 = v.fma(w7, a01); a10 = v.fma(w5, a10); a11 = v.fma(w4, a11);
        b00 = v.fma(w2, b00); b01 = v.fma(w1, b01);
        v = FloatVector.broadcast(S, xp[r + 2 * wp + 3]);
        a01 = v.fma(w8, a01); a11 = v.fma(w5, a11); b01 = v.fma(w2, b01);
        v = FloatVector.broadcast(S, xp[r + 3 * wp]);
        a10 = v.fma(w6, a10); b00 = v.fma(w3, b00); b10 = v.fma(w0, b10);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 1]);
        a10 = v.fma(w7, a10); a11 = v.fma(w6, a11); b00 = v.fma(w4, b00); b01 = v.fma(w3, b01);
        b10 = v.fma(w1, b10); b11 = v.fma(w0, b11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 2]);
        a10 = v.fma(w8, a10); a11 = v.fma(w7, a11); b00 = v.fma(w5, b00); b01 = v.fma(w4, b01);
        b10 = v.fma(w2, b10); b11 = v.fma(w1, b11);
        v = FloatVector.broadcast(S, xp[r + 3 * wp + 3]);
        a11 = v.fma(w8, a11); b01 = v.fma(w5, b01); b11 = v.fma(w2, b11);
        v = FloatVector.broadcast(S, xp[r + 4 * wp]);
        b00 = v.fma(w6, b00); b10 = v.fma(w3, b10);
        v = FloatVector.broadcast(S, xp[r + 4 * wp + 1]);
        b00 = v.fma(w7, b00); b01 = v.fma(w6, b01); b10 = v.fma(w4, b10); b11 = v.fma(w3, b11);
        v = FloatVector.broadcast(S, xp[r + 4 * wp + 2]);
        b00 = v.fma(w8, b00); b01 = v.fma(w7, b01); b10 = v.fma(w5, b10); b11 = v.fma(w4, b11);
        v = FloatVector.broadcast(S, xp[r + 4 * wp + 3]);
        b01 = v.fma(w8, b01); b11 = v.fma(w5, b11);
        v = FloatVector.broadcast(S, xp[r + 5 * wp]);
        b10 = v.fma(w6, b10);
        v = FloatVector.broadcast(S, xp[r + 5 * wp + 1]);
        b10 = v.fma(w7, b10); b11 = v.fma(w6, b11);
        v = FloatVector.broadcast(S, xp[r + 5 * wp + 2]);
        b10 = v.fma(w8, b10); b11 = v.fma(w7, b11);
        v = FloatVector.broadcast(S, xp[r + 5 * wp + 3]);
        b11 = v.fma(w8, b11);
        FloatVector zero = FloatVector.zero(S);
        FloatVector bias = FloatVector.fromArray(S, wk, wo + 9 * L);
        a00 = a01.blend(a00, a00.compare(GT, a01));
        a10 = a11.blend(a10, a10.compare(GT, a11));
        a00 = a10.blend(a00, a00.compare(GT, a10)).add(bias);
        a00.blend(zero, a00.compare(LE, zero)).intoArray(z, zo);
        b00 = b01.blend(b00, b00.compare(GT, b01));
        b10 = b11.blend(b10, b10.compare(GT, b11));
        b00 = b10.blend(b00, b00.compare(GT, b10)).add(bias);
        b00.blend(zero, b00.compare(LE, zero)).intoArray(z, zo + zRow);
    }
}
