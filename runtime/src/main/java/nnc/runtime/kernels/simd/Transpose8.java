package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChannelsLast}'s conversions in 256-bit vectors (with AVX2 or AVX-512): 8 channels x 8 pixels at a time,
 * transposed in registers. Eight loads of 8 floats (8 pixels of one plane, or 8 channels of one
 * slot pixel), three butterfly stages, eight stores: about 48 shuffles and blends per 64 floats,
 * where the scalar loops it replaces took 5 cycles per float (their stores 484 bytes apart).
 *
 * <pre>
 *   stage d (1, 2, 4), on the row pairs (r, r + d) with bit d of r clear: swaps the elements
 *   whose row and column differ in bit d, so after the three stages row k holds column k.
 *     r'     = r     where bit d of the lane is clear, else (r + d) moved d lanes up
 *     (r+d)' = r moved d lanes down where the bit is clear, else r + d
 * </pre>
 *
 * A plane's pixels are taken 8 consecutive ones at a time in row-major order (the slot's rows
 * are wider than the plane's, so each pixel has its own slot offset, from {@code pix}); the
 * last block of a plane whose size is not a multiple of 8 overlaps the one before, so every
 * load and store is a whole vector and the overlapped pixels are written twice with the same
 * values. The channels past the last whole group of 8 are copied one by one, and planes under
 * 8 pixels take {@link ChannelsLast}'s loops.
 */
final class Transpose8 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int L = 8;
    private static final VectorShuffle<Float> UP1 = shift(-1);
    private static final VectorShuffle<Float> DOWN1 = shift(1);
    private static final VectorShuffle<Float> UP2 = shift(-2);
    private static final VectorShuffle<Float> DOWN2 = shift(2);
    private static final VectorShuffle<Float> UP4 = shift(-4);
    private static final VectorShuffle<Float> DOWN4 = shift(4);
    private static final VectorMask<Float> BIT1 = bit(1);
    private static final VectorMask<Float> BIT2 = bit(2);
    private static final VectorMask<Float> BIT4 = bit(4);

    private Transpose8() {
    }

    /** Lane i takes lane (i + by) mod 8. */
    private static VectorShuffle<Float> shift(int by) {
        return VectorShuffle.fromOp(S, i -> (i + by) & (L - 1));
    }

    private static VectorMask<Float> bit(int d) {
        boolean[] m = new boolean[L];
        for (int i = 0; i < L; i++) {
            m[i] = (i & d) != 0;
        }
        return VectorMask.fromArray(S, m, 0);
    }

    /**
     * {@code x[xb ..] [C, H, W]} into the slot pixels {@code slot[pix[p] + c]} (p = r * W + q),
     * channels past the last whole group of 8 by a scalar loop. {@code pix} has H x W entries.
     */
    static void in(float[] x, int xb, int channels, int plane, float[] slot, int[] pix) {
        int full = channels / L * L;
        for (int cg = 0; cg < full; cg += L) {
            int c0 = xb + cg * plane;
            for (int p0 = 0; p0 < plane; p0 += L) {
                int p = Math.min(p0, plane - L);
                int src = c0 + p;
                FloatVector r0 = FloatVector.fromArray(S, x, src);
                FloatVector r1 = FloatVector.fromArray(S, x, src + plane);
                FloatVector r2 = FloatVector.fromArray(S, x, src + 2 * plane);
                FloatVector r3 = FloatVector.fromArray(S, x, src + 3 * plane);
                FloatVector r4 = FloatVector.fromArray(S, x, src + 4 * plane);
                FloatVector r5 = FloatVector.fromArray(S, x, src + 5 * plane);
                FloatVector r6 = FloatVector.fromArray(S, x, src + 6 * plane);
                FloatVector r7 = FloatVector.fromArray(S, x, src + 7 * plane);
                FloatVector s0 = r0.blend(r1.rearrange(UP1), BIT1);
                FloatVector s1 = r0.rearrange(DOWN1).blend(r1, BIT1);
                FloatVector s2 = r2.blend(r3.rearrange(UP1), BIT1);
                FloatVector s3 = r2.rearrange(DOWN1).blend(r3, BIT1);
                FloatVector s4 = r4.blend(r5.rearrange(UP1), BIT1);
                FloatVector s5 = r4.rearrange(DOWN1).blend(r5, BIT1);
                FloatVector s6 = r6.blend(r7.rearrange(UP1), BIT1);
                FloatVector s7 = r6.rearrange(DOWN1).blend(r7, BIT1);
                r0 = s0.blend(s2.rearrange(UP2), BIT2);
                r2 = s0.rearrange(DOWN2).blend(s2, BIT2);
                r1 = s1.blend(s3.rearrange(UP2), BIT2);
                r3 = s1.rearrange(DOWN2).blend(s3, BIT2);
                r4 = s4.blend(s6.rearrange(UP2), BIT2);
                r6 = s4.rearrange(DOWN2).blend(s6, BIT2);
                r5 = s5.blend(s7.rearrange(UP2), BIT2);
                r7 = s5.rearrange(DOWN2).blend(s7, BIT2);
                r0.blend(r4.rearrange(UP4), BIT4).intoArray(slot, pix[p] + cg);
                r0.rearrange(DOWN4).blend(r4, BIT4).intoArray(slot, pix[p + 4] + cg);
                r1.blend(r5.rearrange(UP4), BIT4).intoArray(slot, pix[p + 1] + cg);
                r1.rearrange(DOWN4).blend(r5, BIT4).intoArray(slot, pix[p + 5] + cg);
                r2.blend(r6.rearrange(UP4), BIT4).intoArray(slot, pix[p + 2] + cg);
                r2.rearrange(DOWN4).blend(r6, BIT4).intoArray(slot, pix[p + 6] + cg);
                r3.blend(r7.rearrange(UP4), BIT4).intoArray(slot, pix[p + 3] + cg);
                r3.rearrange(DOWN4).blend(r7, BIT4).intoArray(slot, pix[p + 7] + cg);
            }
        }
        for (int c = full; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                slot[pix[p] + c] = x[xb + c * plane + p];
            }
        }
    }

    /**
     * The slot pixels {@code slot[pix[p] + o]} into
     * {@code y[yb ..] [O, plane]}, each value {@code v} stored as {@code relu?(v + bias[o])}:
     * {@code bias} null for none, else channel o's is {@code bias[bOff + (c0 + o) % bChannels]}.
     */
    static void out(float[] slot, int[] pix, float[] y, int yb, int channels, int plane, float[] bias, int bOff,
                    int c0, int bChannels, boolean relu) {
        // Adding -0 and a maximum with -infinity change no value (not even -0 or NaN): a vector
        // chosen by a condition would be boxed.
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        int full = channels / L * L;
        for (int og = 0; og < full; og += L) {
            float b0 = biasOf(bias, bOff, c0 + og, bChannels);
            float b1 = biasOf(bias, bOff, c0 + og + 1, bChannels);
            float b2 = biasOf(bias, bOff, c0 + og + 2, bChannels);
            float b3 = biasOf(bias, bOff, c0 + og + 3, bChannels);
            float b4 = biasOf(bias, bOff, c0 + og + 4, bChannels);
            float b5 = biasOf(bias, bOff, c0 + og + 5, bChannels);
            float b6 = biasOf(bias, bOff, c0 + og + 6, bChannels);
            float b7 = biasOf(bias, bOff, c0 + og + 7, bChannels);
            int dst = yb + og * plane;
            for (int p0 = 0; p0 < plane; p0 += L) {
                int p = Math.min(p0, plane - L);
                FloatVector r0 = FloatVector.fromArray(S, slot, pix[p] + og);
                FloatVector r1 = FloatVector.fromArray(S, slot, pix[p + 1] + og);
                FloatVector r2 = FloatVector.fromArray(S, slot, pix[p + 2] + og);
                FloatVector r3 = FloatVector.fromArray(S, slot, pix[p + 3] + og);
                FloatVector r4 = FloatVector.fromArray(S, slot, pix[p + 4] + og);
                FloatVector r5 = FloatVector.fromArray(S, slot, pix[p + 5] + og);
                FloatVector r6 = FloatVector.fromArray(S, slot, pix[p + 6] + og);
                FloatVector r7 = FloatVector.fromArray(S, slot, pix[p + 7] + og);
                FloatVector s0 = r0.blend(r1.rearrange(UP1), BIT1);
                FloatVector s1 = r0.rearrange(DOWN1).blend(r1, BIT1);
                FloatVector s2 = r2.blend(r3.rearrange(UP1), BIT1);
                FloatVector s3 = r2.rearrange(DOWN1).blend(r3, BIT1);
                FloatVector s4 = r4.blend(r5.rearrange(UP1), BIT1);
                FloatVector s5 = r4.rearrange(DOWN1).blend(r5, BIT1);
                FloatVector s6 = r6.blend(r7.rearrange(UP1), BIT1);
                FloatVector s7 = r6.rearrange(DOWN1).blend(r7, BIT1);
                r0 = s0.blend(s2.rearrange(UP2), BIT2);
                r2 = s0.rearrange(DOWN2).blend(s2, BIT2);
                r1 = s1.blend(s3.rearrange(UP2), BIT2);
                r3 = s1.rearrange(DOWN2).blend(s3, BIT2);
                r4 = s4.blend(s6.rearrange(UP2), BIT2);
                r6 = s4.rearrange(DOWN2).blend(s6, BIT2);
                r5 = s5.blend(s7.rearrange(UP2), BIT2);
                r7 = s5.rearrange(DOWN2).blend(s7, BIT2);
                int at = dst + p;
                r0.blend(r4.rearrange(UP4), BIT4).add(b0).max(lo).intoArray(y, at);
                r1.blend(r5.rearrange(UP4), BIT4).add(b1).max(lo).intoArray(y, at + plane);
                r2.blend(r6.rearrange(UP4), BIT4).add(b2).max(lo).intoArray(y, at + 2 * plane);
                r3.blend(r7.rearrange(UP4), BIT4).add(b3).max(lo).intoArray(y, at + 3 * plane);
                r0.rearrange(DOWN4).blend(r4, BIT4).add(b4).max(lo).intoArray(y, at + 4 * plane);
                r1.rearrange(DOWN4).blend(r5, BIT4).add(b5).max(lo).intoArray(y, at + 5 * plane);
                r2.rearrange(DOWN4).blend(r6, BIT4).add(b6).max(lo).intoArray(y, at + 6 * plane);
                r3.rearrange(DOWN4).blend(r7, BIT4).add(b7).max(lo).intoArray(y, at + 7 * plane);
            }
        }
        for (int o = full; o < channels; o++) {
            float b = biasOf(bias, bOff, c0 + o, bChannels);
            for (int p = 0; p < plane; p++) {
                y[yb + o * plane + p] = Math.max(slot[pix[p] + o] + b, lo);
            }
        }
    }

    /**
     * {@code dst[dOff + c * ldd + r] = src[sOff + r * lds + c]} for {@code r < rows},
     * {@code c < cols}: 8 x 8 tiles transposed in registers, tiles along {@code c} outermost (so
     * the written rows of a tile column stay in L1), the edges past the last whole tile one by one.
     */
    static void matrix(float[] src, int sOff, int lds, float[] dst, int dOff, int ldd, int rows, int cols) {
        int fullR = rows / L * L;
        int fullC = cols / L * L;
        for (int c = 0; c < fullC; c += L) {
            for (int r = 0; r < fullR; r += L) {
                int at = sOff + r * lds + c;
                FloatVector r0 = FloatVector.fromArray(S, src, at);
                FloatVector r1 = FloatVector.fromArray(S, src, at + lds);
                FloatVector r2 = FloatVector.fromArray(S, src, at + 2 * lds);
                FloatVector r3 = FloatVector.fromArray(S, src, at + 3 * lds);
                FloatVector r4 = FloatVector.fromArray(S, src, at + 4 * lds);
                FloatVector r5 = FloatVector.fromArray(S, src, at + 5 * lds);
                FloatVector r6 = FloatVector.fromArray(S, src, at + 6 * lds);
                FloatVector r7 = FloatVector.fromArray(S, src, at + 7 * lds);
                FloatVector s0 = r0.blend(r1.rearrange(UP1), BIT1);
                FloatVector s1 = r0.rearrange(DOWN1).blend(r1, BIT1);
                FloatVector s2 = r2.blend(r3.rearrange(UP1), BIT1);
                FloatVector s3 = r2.rearrange(DOWN1).blend(r3, BIT1);
                FloatVector s4 = r4.blend(r5.rearrange(UP1), BIT1);
                FloatVector s5 = r4.rearrange(DOWN1).blend(r5, BIT1);
                FloatVector s6 = r6.blend(r7.rearrange(UP1), BIT1);
                FloatVector s7 = r6.rearrange(DOWN1).blend(r7, BIT1);
                r0 = s0.blend(s2.rearrange(UP2), BIT2);
                r2 = s0.rearrange(DOWN2).blend(s2, BIT2);
                r1 = s1.blend(s3.rearrange(UP2), BIT2);
                r3 = s1.rearrange(DOWN2).blend(s3, BIT2);
                r4 = s4.blend(s6.rearrange(UP2), BIT2);
                r6 = s4.rearrange(DOWN2).blend(s6, BIT2);
                r5 = s5.blend(s7.rearrange(UP2), BIT2);
                r7 = s5.rearrange(DOWN2).blend(s7, BIT2);
                int to = dOff + c * ldd + r;
                r0.blend(r4.rearrange(UP4), BIT4).intoArray(dst, to);
                r1.blend(r5.rearrange(UP4), BIT4).intoArray(dst, to + ldd);
                r2.blend(r6.rearrange(UP4), BIT4).intoArray(dst, to + 2 * ldd);
                r3.blend(r7.rearrange(UP4), BIT4).intoArray(dst, to + 3 * ldd);
                r0.rearrange(DOWN4).blend(r4, BIT4).intoArray(dst, to + 4 * ldd);
                r1.rearrange(DOWN4).blend(r5, BIT4).intoArray(dst, to + 5 * ldd);
                r2.rearrange(DOWN4).blend(r6, BIT4).intoArray(dst, to + 6 * ldd);
                r3.rearrange(DOWN4).blend(r7, BIT4).intoArray(dst, to + 7 * ldd);
            }
            for (int r = fullR; r < rows; r++) {
                for (int cc = c; cc < c + L; cc++) {
                    dst[dOff + cc * ldd + r] = src[sOff + r * lds + cc];
                }
            }
        }
        for (int c = fullC; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                dst[dOff + c * ldd + r] = src[sOff + r * lds + c];
            }
        }
    }

    /** Channel c's bias, or -0 (which adds nothing to any value). */
    private static float biasOf(float[] bias, int bOff, int c, int channels) {
        return bias == null ? -0f : bias[bOff + c % channels];
    }
}
