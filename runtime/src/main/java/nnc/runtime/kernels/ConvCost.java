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
 * (docs/performance.md, "Winograd": measured per layer and pass). Below that, a stride-1
 * forward pass with few terms per output runs as a direct convolution, which skips im2col and the
 * separate epilogue pass, and so does its weight gradient, which skips the GEMM's packing of dy
 * (a transpose) and its 9-row tiles; its data gradient stays on im2col + GEMM (a first layer
 * computes none).
 */
public final class ConvCost {
    private ConvCost() {
    }

    /** Channels on each side of a Winograd product below which im2col + GEMM is used. */
    static final int WINOGRAD_MIN_CHANNELS = 8;

    /**
     * Terms per output (C * KH * KW) up to which a stride-1 forward or weight-gradient pass that
     * Winograd does not take runs direct ({@link DirectConv}). Measured against im2col + GEMM at 3x3 (one thread,
     * CPU time, batch 32-64; docs/performance.md, "Direct convolution"): 0.54-0.77 of its time
     * from C = 1 to 8 (9 to 72 terms), and still ahead at C = 32; 72 keeps to the measured
     * first-layer range, where the padded sample the kernel reads stays in cache. The weight
     * gradient, measured the same way (weight + bias gradient, batch 64): 0.66-0.81 of im2col +
     * GEMM's time from 9 to 72 terms.
     */
    static final int DIRECT_MAX_TERMS = 72;

    /** The algorithm for pass {@code pass} of a convolution of geometry {@code g}. */
    public static ConvAlgorithm choose(ConvGeom g, ConvAlgorithm.Pass pass) {
        if (Winograd.applies(g) && g.c() >= WINOGRAD_MIN_CHANNELS && g.o() >= WINOGRAD_MIN_CHANNELS) {
            return ConvAlgorithm.WINOGRAD;
        }
        if (pass != ConvAlgorithm.Pass.DATA && DirectConv.applies(g) && !g.pointwise() && g.k() <= DIRECT_MAX_TERMS) {
            return ConvAlgorithm.DIRECT;
        }
        return ConvAlgorithm.GEMM;
    }
}
