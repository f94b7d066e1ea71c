package nnc.compiler.ir.ops;

import nnc.runtime.kernels.Act;

/** The activations in double precision: the reference the float kernels are checked against. */
final class ActMath {
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_K = 0.044715;

    private ActMath() {
    }

    static double apply(Act act, double alpha, double x) {
        return switch (act) {
            case IDENTITY -> x;
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case GELU -> 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_K * x * x * x)));
        };
    }

    /** The derivative from the output (or from the input for GELU), as {@link Act#grad}. */
    static double grad(Act act, double alpha, double s) {
        return switch (act) {
            case IDENTITY -> 1;
            case RELU -> s > 0 ? 1 : 0;
            case LEAKY_RELU -> s > 0 ? 1 : alpha;
            case SIGMOID -> s * (1 - s);
            case TANH -> 1 - s * s;
            case GELU -> {
                double t = Math.tanh(GELU_C * (s + GELU_K * s * s * s));
                yield 0.5 * (1 + t) + 0.5 * s * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * s * s);
            }
        };
    }
}
