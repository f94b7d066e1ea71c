package nnc.runtime.kernels;

import nnc.runtime.exec.Workspace;

/**
 * Direct convolution at stride 1, forward and weight gradient, for layers with few inputs per
 * output (the first layer of an image model: C = 1 or 3 and a 3x3 kernel, so C * KH * KW = 9
 * or 27 terms per output), where
 * im2col + GEMM spends more time packing and storing than multiplying (K = 9 is the GEMM's worst
 * case) and then runs the epilogue as one more pass over the output.
 *
 * <pre>
 *   y[o, i, j] = epi( sum over c, u, v in that order of xp[c, i + u, j + v] * w[o, c, u, v] )
 *   xp [C, OH + KH - 1, >= OW + KW - 1]: the sample, zero-padded by PT above and PL left
 *   N batch, C in channels, O out channels, H x W input, OH x OW output, KH x KW kernel
 * </pre>
 *
 * Each output is summed with fused multiply-adds in the order above, padding taps included (they
 * add 0 * w), and depends on nothing else: not on the batch size, the sample's place in it, the
 * lanes or the thread count, so a sample's prediction has the same bits alone and in a batch,
 * and the two twins ({@code scalar.ScalarDirectConv}, {@code simd.SimdDirectConv}) agree exactly.
 *
 * <p>The epilogue's leading per-channel {@code Bias} of this output and a {@code ReLU} after it
 * ({@link #folded}) are applied to the sums in registers before the store; any further steps
 * run on each finished output plane while it is in cache.
 */
public interface DirectConv {
    /** What {@code --profile} and {@code --dump=plan} call this algorithm. */
    String NAME = "direct";

    /** True when the direct kernel can compute {@code g}: stride 1, any kernel and padding. */
    static boolean applies(ConvGeom g) {
        return g.sh() == 1 && g.sw() == 1;
    }

    /** {@code y = conv(x, w)} for samples [b0, b1), then {@code epi} on each sample's output. */
    void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff, float[] y,
                 int yOff, Epilogue epi);

    /**
     * Adds the weight and bias gradients of samples [b0, b1) to a partial:
     *
     * <pre>
     *   dw[o, c, u, v] += sum over b, i, j of dy[b, o, i, j] * xp_b[c, i + u, j + v]
     *   db[o]          += sum over b, i, j of dy[b, o, i, j]          (when db is not null)
     *   dw [O, C, KH, KW] (the weights' own layout), db [O]
     * </pre>
     *
     * The sums are in float, in an order fixed by the samples of the call, the geometry and the
     * backend (not the thread that runs it), so a caller that splits a batch into the same
     * pieces gets the same bits on every run. The twins agree within rounding: the SIMD one
     * sums each lane of positions apart and adds the lanes at the end.
     */
    void backwardWeights(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                         float[] dw, float[] db);

    /**
     * How many leading steps of {@code epi}, bound to an output at {@code yOff} of geometry
     * {@code g}, the kernels apply in registers: a {@code Bias} per output channel (its channel
     * of element {@code e} of a sample is {@code e / (OH*OW)}, which needs the output to start
     * a whole number of samples after the epilogue's base), then a ReLU.
     */
    static int folded(ConvGeom g, int yOff, Epilogue epi) {
        int k = epi.leadingBiasRelu(g.p(), yOff - epi.base());
        boolean sampleBias = k == 0 || !(epi.step(0) instanceof Epilogue.Bias b)
                || (b.channels() == g.o() && Math.floorMod(yOff - epi.base(), g.outSize()) == 0);
        return sampleBias ? k : 0;
    }

    /** The bias of output channel {@code o} when the first folded step is a bias, else 0. */
    static float foldedBias(Epilogue epi, int folded, int o) {
        return folded > 0 && epi.step(0) instanceof Epilogue.Bias b ? b.b()[b.bOff() + o] : 0f;
    }

    /** True when the folded steps end with a ReLU. */
    static boolean foldedRelu(Epilogue epi, int folded) {
        return folded > 0 && epi.step(folded - 1) instanceof Epilogue.Activation;
    }

    /** Row length of the padded sample: the input columns every window of an output row reads. */
    static int paddedWidth(ConvGeom g) {
        return g.ow() + g.kw() - 1;
    }

    /** Rows of the padded sample. */
    static int paddedHeight(ConvGeom g) {
        return g.oh() + g.kh() - 1;
    }

    /**
     * True when the padded sample would be the sample itself: no padding, and every input row
     * and column within some window ({@code pad} would copy it whole, with no zeros around), so
     * a kernel may read {@code x} in place of {@code xp} at the same offsets.
     */
    public static boolean unpadded(ConvGeom g) {
        return g.pt() == 0 && g.pl() == 0 && g.h() == paddedHeight(g) && g.w() == paddedWidth(g);
    }

    /**
     * Where the padded sample starts: {@code xb} in {@code x} itself when {@link #unpadded}, else
     * 0 in {@code xp}, after {@link #pad} filled it.
     */
    static int padOrInPlace(ConvGeom g, int wp, float[] x, int xb, float[] xp) {
        if (unpadded(g)) {
            return xb;
        }
        pad(g, wp, x, xb, xp);
        return 0;
    }

    /**
     * {@code xp[c, r + PT, q + PL] = x[c, r, q]} for sample {@code b}, zero elsewhere; {@code xp}
     * holds {@code C * paddedHeight * wp} floats. Input rows and columns past the output's reach
     * (a bottom or right edge that no window covers) are left out.
     */
    static void pad(ConvGeom g, int wp, float[] x, int xb, float[] xp) {
        int hp = paddedHeight(g);
        java.util.Arrays.fill(xp, 0, g.c() * hp * wp, 0f);
        int rows = Math.min(g.h(), hp - g.pt());
        int cols = Math.min(g.w(), wp - g.pl());
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, xb + (c * g.h() + r) * g.w(), xp, (c * hp + r + g.pt()) * wp + g.pl(), cols);
            }
        }
    }
}
