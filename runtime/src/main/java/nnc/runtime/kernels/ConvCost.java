package nnc.runtime.kernels;

/**
 * The cost model that picks a convolution algorithm per layer and pass when a model is
 * compiled. It depends on the geometry only (not on the machine), so generated code and its
 * golden files are the same everywhere.
 *
 * <p>Winograd F(4x4, 3x3) does 36 products per 4 x 4 tile and channel pair where a direct
 * convolution does 144, in a matrix product whose inner dimension is the input channels (the
 * output channels for backward data, the tiles for the weight gradient), but it pays for
 * transforms on every input and output element and for the tiles that stick out of the output.
 * im2col + GEMM runs an inner dimension of C * 9. With one input channel (the first layer of an
 * image model) Winograd's products are outer products that save nothing against their
 * transforms; from about 8 channels on both sides its products dominate and it wins
 * (docs/performance.md, "Winograd": measured per layer and pass).
 */
public final class ConvCost {
    private ConvCost() {
    }

    /** Channels on each side of a Winograd product below which im2col + GEMM is used. */
    static final int WINOGRAD_MIN_CHANNELS = 8;

    /**
     * Terms per output (C * KH * KW) up to which the forward pass runs direct ({@link DirectConv}):
     * 27 is a 3x3 kernel on an RGB image.
     */
    static final int DIRECT_MAX_TERMS = 27;

    /** The algorithm for pass {@code pass} of a convolution of geometry {@code g}. */
    public static ConvAlgorithm choose(ConvGeom g, ConvAlgorithm.Pass pass) {
        if (pass == ConvAlgorithm.Pass.FORWARD && DirectConv.applies(g) && !g.pointwise() && g.k() <= DIRECT_MAX_TERMS) {
            return ConvAlgorithm.DIRECT;
        }
        if (!Winograd.applies(g)) {
            return ConvAlgorithm.GEMM;
        }
        return g.c() >= WINOGRAD_MIN_CHANNELS && g.o() >= WINOGRAD_MIN_CHANNELS ? ConvAlgorithm.WINOGRAD
                : ConvAlgorithm.GEMM;
    }
}
