package nnc.runtime.kernels;

/**
 * How a convolution pass is computed, chosen per layer and pass when the model is compiled
 * ({@link ConvCost}) and named in the generated call, so every run of a model takes the same
 * path on every backend (the scalar backend runs the same algorithm in plain loops).
 */
public enum ConvAlgorithm {
    /** im2col + the packed GEMM (a 1x1 stride-1 convolution skips im2col): any geometry. */
    GEMM("im2col+gemm"),
    /** Winograd F(4x4, 3x3) ({@link Winograd}): 3x3 kernels at stride 1. */
    WINOGRAD(Winograd.NAME),
    /**
     * Direct loops ({@link DirectConv}): stride 1; the forward pass vectorised along the output
     * row, the weight gradient along the output positions. Not for backward data.
     */
    DIRECT(DirectConv.NAME);

    /** The three passes of a convolution, each with its own choice. */
    public enum Pass { FORWARD, DATA, WEIGHTS }

    private final String label;

    ConvAlgorithm(String label) {
        this.label = label;
    }

    /** True when this algorithm can compute pass {@code pass} of {@code g}. */
    public boolean applies(ConvGeom g, Pass pass) {
        return applies(g) && !(this == DIRECT && pass == Pass.DATA);
    }

    /** What profiles and {@code --dump=plan} print. */
    public String label(ConvGeom g) {
        return this == GEMM && g.pointwise() ? "gemm, 1x1" : label;
    }

    /** True when this algorithm can compute {@code g} (for some pass; see {@link #applies(ConvGeom, Pass)}). */
    public boolean applies(ConvGeom g) {
        return switch (this) {
            case GEMM -> true;
            case WINOGRAD -> Winograd.applies(g);
            case DIRECT -> DirectConv.applies(g);
        };
    }
}
