package nnc.compiler.ir;

import java.util.Arrays;

/** How a parameter tensor starts: the {@code init:} argument, or fixed values. */
public sealed interface InitSpec {
    /** He normal, std = sqrt(2 / fanIn): layers followed by ReLU-like activations. */
    record He(int fanIn) implements InitSpec {
    }

    /** Glorot uniform, limit = sqrt(6 / (fanIn + fanOut)). */
    record Glorot(int fanIn, int fanOut) implements InitSpec {
    }

    record Normal(double std) implements InitSpec {
    }

    record Uniform(double limit) implements InitSpec {
    }

    record Constant(double value) implements InitSpec {
    }

    /** Values written in the .nn file ({@code weight: [[...]]}), row-major. */
    record Values(float[] values) implements InitSpec {
        @Override
        public boolean equals(Object o) {
            return o instanceof Values v && Arrays.equals(v.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Values[" + values.length + "]";
        }
    }
}
