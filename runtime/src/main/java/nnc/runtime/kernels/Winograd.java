package nnc.runtime.kernels;

import nnc.runtime.exec.Workspace;

/**
 * Winograd convolution F(4x4, 3x3) for 3x3 kernels at stride 1 (Lavin and Gray, 2016, points
 * 0, 1, -1, 2, -2, infinity): each 4 x 4 block of outputs ("tile") comes from a 6 x 6 block of
 * input through 36 products instead of 144:
 *
 * <pre>
 *   forward          Y  = A^T [ sum over c of (G w G^T)[o, c] (.) (B^T d B)[c] ] A        per tile, per o
 *   weight gradient  dw = G^T [ sum over tiles of (A dY A^T)[o] (.) (B^T d B)[c] ] G      per o, c
 *   backward data    the forward on dy, with the kernel turned 180 degrees and C, O swapped
 *                    ({@link #dataGeometry})
 *   d: 6x6 input patch at (4i - PT, 4j - PL), zero outside;  dY: 4x4 block of dy;  (.): elementwise
 * </pre>
 *
 * Per point xi of the 6 x 6 transform domain the sum over channels (or tiles) is a matrix
 * product, which is where the time goes: {@code M_xi [O x T] = U_xi [O x C] . V_xi [C x T]}.
 *
 * <p>Precision: the transforms multiply by up to 8 (A) and 4, 5 (B) and divide by 6 and 24
 * (G), so a result can lose a few bits more than a direct sum; the contract suite bounds the
 * error against the double-precision reference ({@code Tolerances.WINOGRAD}).
 *
 * <p>Twins: {@code scalar.ScalarWinograd} (the definition: the matrices below, multiplied out
 * in plain loops) and {@code simd.SimdWinograd}. Each keeps the transformed weights and the
 * weight-gradient partials in its own layout; {@link WinogradJob} only sizes and passes them.
 *
 * <pre>
 *   N batch, C in channels, O out channels, H x W input, OH x OW output, T tiles
 * </pre>
 */
public interface Winograd {
    /** Output tile side, kernel side, input tile side (m, r, m + r - 1). */
    int M = 4, R = 3, ALPHA = 6;

    /** B^T: the input transform, 6 x 6. */
    double[][] BT = {
        {4, 0, -5, 0, 1, 0},
        {0, -4, -4, 1, 1, 0},
        {0, 4, -4, -1, 1, 0},
        {0, -2, -1, 2, 1, 0},
        {0, 2, -1, -2, 1, 0},
        {0, 4, 0, -5, 0, 1}};

    /** G: the kernel transform, 6 x 3. */
    double[][] G = {
        {1 / 4.0, 0, 0},
        {-1 / 6.0, -1 / 6.0, -1 / 6.0},
        {-1 / 6.0, 1 / 6.0, -1 / 6.0},
        {1 / 24.0, 1 / 12.0, 1 / 6.0},
        {1 / 24.0, -1 / 12.0, 1 / 6.0},
        {0, 0, 1}};

    /** A^T: the output transform, 4 x 6. */
    double[][] AT = {
        {1, 1, 1, 1, 1, 0},
        {0, 1, -1, 2, -2, 0},
        {0, 1, 1, 4, 4, 0},
        {0, 1, -1, 8, -8, 1}};

    /**
     * True when {@code g} can run as F(4x4, 3x3), forward and backward: a 3x3 kernel at stride 1,
     * padded by at most 2 on every side (the backward-data pass pads by 2 minus that).
     */
    static boolean applies(ConvGeom g) {
        int bottom = g.oh() + R - 1 - g.h() - g.pt();
        int right = g.ow() + R - 1 - g.w() - g.pl();
        return g.kh() == R && g.kw() == R && g.sh() == 1 && g.sw() == 1 && g.pt() <= R - 1 && g.pl() <= R - 1
                && bottom >= 0 && bottom <= R - 1 && right >= 0 && right <= R - 1;
    }

    /**
     * The backward-data pass of {@code g} as a forward convolution: input dy [O, OH, OW], output
     * dx [C, H, W], padding {@code 2 - P} (the weights turned 180 degrees, C and O swapped).
     */
    static ConvGeom dataGeometry(ConvGeom g) {
        return new ConvGeom(g.o(), g.oh(), g.ow(), g.c(), R, R, 1, 1, R - 1 - g.pt(), R - 1 - g.pl(), g.h(), g.w());
    }

    /** Tiles per row and column of the output, and per sample. */
    static int tilesH(ConvGeom g) {
        return (g.oh() + M - 1) / M;
    }

    static int tilesW(ConvGeom g) {
        return (g.ow() + M - 1) / M;
    }

    static int tilesPerSample(ConvGeom g) {
        return tilesH(g) * tilesW(g);
    }

    /**
     * Weight tap {@code (u, v)} of the kernel that maps input channel {@code c} to output
     * channel {@code o} of the convolution being run: {@code w[o, c, u, v]}, or for backward
     * data ({@code flip}, with {@code g} its {@link #dataGeometry}) {@code w[c, o, 2 - u, 2 - v]}.
     */
    static float tap(ConvGeom g, boolean flip, float[] w, int wOff, int o, int c, int u, int v) {
        return flip ? w[wOff + ((c * g.o() + o) * R + (R - 1 - u)) * R + (R - 1 - v)]
                : w[wOff + ((o * g.c() + c) * R + u) * R + v];
    }

    /** What {@code --profile} and {@code --dump=plan} call this algorithm. */
    String NAME = "winograd F(4x4,3x3)";

    /** Floats of the transformed weights of {@code g} (this backend's layout). */
    int weightsSize(ConvGeom g);

    /**
     * The transformed weights {@code U = G w G^T} for output channels [o0, o1) ({@link #weightGroup}
     * units), of {@code w [O, C, 3, 3]}, or for backward data ({@code flip}, {@code g} the
     * {@link #dataGeometry}) of the turned kernel.
     */
    void transformWeights(Workspace ws, ConvGeom g, boolean flip, int o0, int o1, float[] w, int wOff, float[] u);

    /** Output channels per unit of {@link #transformWeights}' range (its packing panel). */
    int weightGroup();

    /** Tiles per block: a range of samples whose tile count is a multiple of this wastes no work. */
    int tileBlock();

    /** {@code y = conv(x)} for samples [b0, b1) from the transformed weights, then {@code epi} per sample. */
    void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] u, float[] y, int yOff,
                 Epilogue epi);

    /**
     * Inference: {@code y = epi(maxpool(act(conv(x) + bias)))} for samples [b0, b1), {@code y}
     * holding {@code pool.outSize()} floats per sample; {@code pool} must halve the output
     * ({@link PoolGeom#halves}) and {@code act} is a ReLU when {@code relu}. The maximum is taken
     * before the bias and the ReLU, which changes no value (rounding and ReLU are monotone), so
     * the result has the bits of {@link #forward} with that bias and ReLU followed by max pooling.
     * {@code x} is blocked by {@code xBlock} channels ({@link ChannelLayout}; 1 for NCHW), which
     * must divide C; any such block is read correctly.
     */
    void forwardPooled(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x, int xOff,
                       int xBlock, float[] u, float[] bias, int bOff, float[] y, int yOff, Epilogue epi);

    /**
     * The channel block this kernel reads fastest ({@link Backend#channelBlock}): its channels-last
     * slot takes a pixel's {@code channelBlock()} channels as one copy. 1 when no block helps.
     */
    int channelBlock();

    /** Floats of one weight-gradient partial (this backend's layout of the transform domain). */
    int partialSize(ConvGeom g);

    /**
     * Adds the samples [b0, b1) to a weight-gradient partial, in the transform domain; and
     * when {@code db} is not null adds each output channel's sum of {@code dy} to {@code db[o]}
     * (the bias gradient, folded into this pass).
     */
    void weightGradient(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                        float[] partial, float[] db);

    /**
     * {@code dw[o, c, :, :] = G^T (sum of partials[0 .. pieces)) G} for the (o, c) pairs
     * {@code [i0, i1)} in {@code o * C + c} order; the partials are added in order.
     */
    void finishWeights(Workspace ws, ConvGeom g, int i0, int i1, float[][] partials, int pieces, float[] dw,
                       int dwOff);
}
