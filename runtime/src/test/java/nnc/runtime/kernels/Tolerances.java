package nnc.runtime.kernels;

/** How far the SIMD kernels may be from their scalar twins (different summation orders, FMA, SVML). */
final class Tolerances {
    private Tolerances() {
    }

    /** Pointwise arithmetic: same operations, maybe fused. */
    static final float POINTWISE = 1e-6f;
    /** Transcendentals (exp, tanh) from the vector math library. */
    static final float TRANSCENDENTAL = 2e-6f;
    /** Sums over k terms: relative to sqrt(k) * max |term|. */
    static final float SUM_PER_SQRT_TERM = 2e-6f;
}
