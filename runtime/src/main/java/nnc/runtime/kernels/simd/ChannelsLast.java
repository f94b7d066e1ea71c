package nnc.runtime.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One sample between the NCHW layout of the arena and the channels-last slots of
 * {@link SimdWinograd}, L values per gather: a slot pixel's channels are one vector gathered
 * from L planes (going in); a row segment of an output plane is one vector gathered from L
 * slot pixels (coming out), with 16 lanes (AVX-512). With fewer lanes plain loops take their
 * place, pixel by pixel with the channels innermost: on a Zen 3 core (AVX2) the gathers took 2
 * to 4 times as long as loops (a third of the Winograd forward pass), and channels innermost
 * beat rows innermost by 20-35%: rows of 11 or 13 pixels are too short a loop for C2
 * (performance.md, AVX2). The strided side of each loop touches one row of every channel,
 * which stays in L1 for the next pixel.
 */
final class ChannelsLast {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);
    private static final boolean GATHER = L >= 16;

    private ChannelsLast() {
    }

    /**
     * {@code x[xb ..] [C, H, W]} into {@code slot[at ..] [H'][wp][cq]} at row {@code top},
     * column {@code left}, zero everywhere else (padding and channels past C). {@code idx}
     * is scratch of at least L ints.
     */
    static void in(float[] x, int xb, int channels, int h, int w, float[] slot, int at, int rows, int wp, int top,
                   int left, int cq, int[] idx) {
        Arrays.fill(slot, at, at + rows * wp * cq, 0f);
        int plane = h * w;
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
     * {@code slot[at ..] [rows][wp][oq]} (channels last) into {@code y[yb ..] [O, OH, OW]}, the
     * top-left OH x OW pixels. The slot array must hold L pixels past the last row read;
     * {@code idx} is scratch of at least L ints.
     */
    static void out(float[] slot, int at, int wp, int oq, float[] y, int yb, int channels, int oh, int ow, int[] idx) {
        if (!GATHER) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int src = at + (i * wp + j) * oq;
                    int dst = yb + i * ow + j;
                    for (int o = 0; o < channels; o++) {
                        y[dst + o * oh * ow] = slot[src + o];
                    }
                }
            }
            return;
        }
        for (int q = 0; q < L; q++) {
            idx[q] = q * oq;
        }
        int plane = oh * ow;
        for (int o = 0; o < channels; o++) {
            for (int i = 0; i < oh; i++) {
                int src = at + i * wp * oq + o;
                int dst = yb + o * plane + i * ow;
                int j = 0;
                for (; j + L <= ow; j += L) {
                    FloatVector.fromArray(S, slot, src + j * oq, idx, 0).intoArray(y, dst + j);
                }
                if (j < ow) {
                    FloatVector v = FloatVector.fromArray(S, slot, src + j * oq, idx, 0);
                    if (dst + j + L <= y.length) {
                        v.intoArray(y, dst + j, IOTA.compare(VectorOperators.LT, (float) (ow - j)));
                    } else {
                        for (; j < ow; j++) {
                            y[dst + j] = slot[src + j * oq];
                        }
                    }
                }
            }
        }
    }
}
