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
    /**
     * Winograd F(4x4, 3x3) against the exact sum, relative to sqrt(k) like
     * {@link #SUM_PER_SQRT_TERM}: its transforms scale values by up to 10 per dimension (the 4s
     * and 5s of B^T, the 8s of A^T) before the products and cancel them afterwards (G's 1/6 and
     * 1/24 are not exact in binary either), so the rounding error of a result grows by one to
     * two orders of magnitude. Measured on WinogradContractTest's shapes (inputs in [-1, 1]): up
     * to 6.5e-6 per sqrt(term), against 4.5e-7 for im2col + GEMM on the same shapes; this bound
     * leaves a factor of 3. Training is unaffected at that level (performance.md: accuracy).
     */
    static final float WINOGRAD = 2e-5f;
}
