package nnc.runtime.kernels;

/**
 * Pointwise activations and their derivatives. The derivative of each is computed from the
 * value that backward keeps: the output {@code y} for all of them except GELU, whose
 * derivative needs the input {@code x} ({@link #gradFromInput()}).
 *
 * <p>The scalar formulas here are the definition; the SIMD backend is checked against them.
 */
public enum Act {
    IDENTITY, RELU, LEAKY_RELU, SIGMOID, TANH,
    /** The tanh approximation of GELU (PyTorch's {@code approximate='tanh'}). */
    GELU;

    static final float GELU_C = 0.7978845608028654f; // sqrt(2 / pi)
    static final float GELU_K = 0.044715f;

    /** True when the derivative is a function of the input rather than the output. */
    public boolean gradFromInput() {
        return this == GELU;
    }

    public float apply(float x, float alpha) {
        return switch (this) {
            case IDENTITY -> x;
            case RELU -> x > 0 ? x : 0f;
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case SIGMOID -> 1f / (1f + (float) Math.exp(-x));
            case TANH -> (float) Math.tanh(x);
            case GELU -> 0.5f * x * (1f + (float) Math.tanh(GELU_C * (x + GELU_K * x * x * x)));
        };
    }

    /**
     * The derivative, from {@code s}: the output for every activation but GELU, the input
     * for GELU. LEAKY_RELU reads the sign of the output, which equals the input's for
     * {@code alpha >= 0} (the compiler rejects a negative alpha).
     */
    public float grad(float s, float alpha) {
        return switch (this) {
            case IDENTITY -> 1f;
            case RELU -> s > 0 ? 1f : 0f;
            case LEAKY_RELU -> s > 0 ? 1f : alpha;
            case SIGMOID -> s * (1f - s);
            case TANH -> 1f - s * s;
            case GELU -> {
                float u = GELU_C * (s + GELU_K * s * s * s);
                float t = (float) Math.tanh(u);
                yield 0.5f * (1f + t) + 0.5f * s * (1f - t * t) * GELU_C * (1f + 3f * GELU_K * s * s);
            }
        };
    }
}
