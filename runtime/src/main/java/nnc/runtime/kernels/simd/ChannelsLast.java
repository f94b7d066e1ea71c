package nnc.runtime.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.ChannelLayout;
import nnc.runtime.kernels.Epilogue;

/**
 * One sample between the NCHW layout of the arena and the channels-last slots of
 * {@link SimdWinograd}. With 8 or 16 lanes (AVX2, AVX-512) 8 x 8 blocks are transposed in
 * registers of 8 lanes ({@link Transpose8}). Planes under 8 pixels take, with 16 lanes, L values
 * per gather: a slot pixel's channels are one vector gathered from L planes (going in), a row
 * segment of an output plane one vector gathered from L slot pixels (coming out); with other
 * widths, plain loops, pixel by pixel with the channels innermost. On a Zen 3 core the gathers
 * took 2 to 4 times as long as those loops, and the loops about 5 cycles per float (their
 * strided side 484 bytes apart); the register transposes about a fifth of that. On a Zen 5 core
 * with AVX-512 the transposes took the Winograd forward pass of the tutorial's conv2 from 1.25-1.29
 * to 0.94-0.99 ms against the gathers (performance.md).
 *
 * <p>Coming out, the conversion also runs the convolution's epilogue when it is a bias per
 * output channel, ReLU, or a bias then ReLU ({@link #fuses}): the values are stored once, with
 * the same additions and maxima as the epilogue's own loops, so the results keep their bits.
 */
final class ChannelsLast {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);
    private static final boolean GATHER = L >= 16;
    private static final boolean TRANSPOSE = L % Transpose8.L == 0;

    private ChannelsLast() {
    }

    /**
     * {@code x[xb ..] [C, H, W]} into {@code slot[at ..] [H'][wp][cq]} at row {@code top},
     * column {@code left}, zero everywhere else (padding and channels past C). {@code idx}
     * is scratch of at least max(L, H x W) ints.
     */
    static void in(float[] x, int xb, int channels, int h, int w, float[] slot, int at, int rows, int wp, int top,
                   int left, int cq, int[] idx) {
        Arrays.fill(slot, at, at + rows * wp * cq, 0f);
        int plane = h * w;
        if (TRANSPOSE && plane >= Transpose8.L && cq % Transpose8.L == 0) {
            for (int p = 0; p < plane; p++) {
                idx[p] = at + ((p / w + top) * wp + left + p % w) * cq;
            }
            Transpose8.in(x, xb, channels, plane, slot, idx);
            return;
        }
        if (!GATHER) {
            for (int r = 0; r < h; r++) {
                for (int q = 0; q < w; q++) {
                    int dst = at + ((r + top) * wp + left + q) * cq;
                    int src = xb + r * w + q;
                    for (int c = 0; c < channels; c++) {
                        slot[dst + c] = x[src + c * plane];
                    }
                }
            }
            return;
        }
        for (int k = 0; k < L; k++) {
            idx[k] = k * plane;
        }
        int full = channels / L * L;
        for (int c0 = 0; c0 < full; c0 += L) {
            int src = xb + c0 * plane;
            for (int r = 0; r < h; r++) {
                int dst = at + ((r + top) * wp + left) * cq + c0;
                for (int q = 0; q < w; q++) {
                    FloatVector.fromArray(S, x, src + r * w + q, idx, 0).intoArray(slot, dst + q * cq);
                }
            }
        }
        for (int c = full; c < channels; c++) {
            for (int r = 0; r < h; r++) {
                int src = xb + c * plane + r * w;
                int dst = at + ((r + top) * wp + left) * cq + c;
                for (int q = 0; q < w; q++) {
                    slot[dst + q * cq] = x[src + q];
                }
            }
        }
    }

    /**
     * {@link #in} from a sample blocked by {@code block} channels ({@code x[xb ..] [C / block, H, W,
     * block]}, {@code nnc.runtime.kernels.ChannelLayout}): a pixel's block is contiguous on both
     * sides, so a block of a vector is one load and one store, no transposition. With whole
     * vectors of channels ({@code cq == C}, the block a vector) only the padding is zeroed;
     * other blocks copy value by value into a zeroed slot.
     */
    static void inBlocked(float[] x, int xb, int block, int channels, int h, int w, float[] slot, int at, int rows,
                          int wp, int top, int left, int cq) {
        int plane = h * w;
        if (block != L || cq != channels) {
            Arrays.fill(slot, at, at + rows * wp * cq, 0f);
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    slot[at + ((p / w + top) * wp + left + p % w) * cq + c] = x[xb + ChannelLayout.index(c, p, plane, block)];
                }
            }
            return;
        }
        Arrays.fill(slot, at, at + top * wp * cq, 0f);
        Arrays.fill(slot, at + (top + h) * wp * cq, at + rows * wp * cq, 0f);
        for (int r = 0; r < h; r++) {
            int row = at + (r + top) * wp * cq;
            Arrays.fill(slot, row, row + left * cq, 0f);
            Arrays.fill(slot, row + (left + w) * cq, row + wp * cq, 0f);
            for (int c0 = 0; c0 < channels; c0 += L) {
                int src = xb + c0 * plane + r * w * L;
                int dst = row + left * cq + c0;
                for (int q = 0; q < w; q++) {
                    FloatVector.fromArray(S, x, src + q * L).intoArray(slot, dst + q * cq);
                }
            }
        }
    }

    /**
     * True when {@link #out} can run {@code epi} on a sample it writes at {@code from} elements
     * past the epilogue's base: no steps, or a bias per {@code plane}-sized channel plane and
     * then or alone ReLU. Other epilogues run as their own pass after the conversion.
     */
    static boolean fuses(Epilogue epi, int plane, int from) {
        return epi.leadingBiasRelu(plane, from) == epi.size();
    }

    /**
     * {@code slot[at ..] [rows][wp][oq]} (channels last) into {@code y[yb ..] [O, OH, OW]}, the
     * top-left OH x OW pixels, running {@code epi} on them: an epilogue {@link #fuses} accepts,
     * bound to {@code y} (or {@link Epilogue#NONE}). The slot array must hold L pixels past the
     * last row read; {@code idx} is scratch of at least max(L, OH x OW) ints.
     */
    static void out(float[] slot, int at, int wp, int oq, float[] y, int yb, int channels, int oh, int ow, int[] idx,
                    Epilogue epi) {
        int plane = oh * ow;
        float[] bias = null;
        int bOff = 0;
        int bChannels = 1;
        boolean relu = false;
        for (int i = 0; i < epi.size(); i++) {
            if (epi.step(i) instanceof Epilogue.Bias b) {
                bias = b.b();
                bOff = b.bOff();
                bChannels = b.channels();
            } else {
                relu = true;
            }
        }
        out(slot, at, wp, oq, y, yb, channels, oh, ow, idx, bias, bOff, (yb - epi.base()) / plane, bChannels, relu);
    }

    /**
     * {@link #out} with the bias and ReLU given: {@code bias[bOff + (c0 + o) % bChannels]} for
     * output channel {@code o} when {@code bias} is not null, then ReLU when {@code relu}.
     */
    static void out(float[] slot, int at, int wp, int oq, float[] y, int yb, int channels, int oh, int ow, int[] idx,
                    float[] bias, int bOff, int c0, int bChannels, boolean relu) {
        int plane = oh * ow;
        // Adding -0 and a maximum with -infinity change no value, not even -0 or NaN.
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        if (TRANSPOSE && plane >= Transpose8.L && oq % Transpose8.L == 0) {
            for (int p = 0; p < plane; p++) {
                idx[p] = at + (p / ow * wp + p % ow) * oq;
            }
            Transpose8.out(slot, idx, y, yb, channels, plane, bias, bOff, c0, bChannels, relu);
            return;
        }
        if (!GATHER) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int src = at + (i * wp + j) * oq;
                    int dst = yb + i * ow + j;
                    for (int o = 0; o < channels; o++) {
                        float b = bias == null ? -0f : bias[bOff + (c0 + o) % bChannels];
                        y[dst + o * plane] = Math.max(slot[src + o] + b, lo);
                    }
                }
            }
            return;
        }
        for (int q = 0; q < L; q++) {
            idx[q] = q * oq;
        }
        for (int o = 0; o < channels; o++) {
            float b = bias == null ? -0f : bias[bOff + (c0 + o) % bChannels];
            for (int i = 0; i < oh; i++) {
                int src = at + i * wp * oq + o;
                int dst = yb + o * plane + i * ow;
                int j = 0;
                for (; j + L <= ow; j += L) {
                    FloatVector.fromArray(S, slot, src + j * oq, idx, 0).add(b).max(lo).intoArray(y, dst + j);
                }
                if (j < ow) {
                    FloatVector v = FloatVector.fromArray(S, slot, src + j * oq, idx, 0).add(b).max(lo);
                    if (dst + j + L <= y.length) {
                        v.intoArray(y, dst + j, IOTA.compare(VectorOperators.LT, (float) (ow - j)));
                    } else {
                        for (; j < ow; j++) {
                            y[dst + j] = Math.max(slot[src + j * oq] + b, lo);
                        }
                    }
                }
            }
        }
    }
}
