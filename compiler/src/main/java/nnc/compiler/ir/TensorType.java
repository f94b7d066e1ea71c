package nnc.compiler.ir;

import java.util.Arrays;
import java.util.stream.Collectors;
import nnc.compiler.Limits;

/**
 * The static type of a value: its dimensions without the batch, and whether it has one.
 * Activations and their gradients are batched ({@code [N, ...dims]}); parameters, their
 * gradients and per-channel statistics are not.
 */
public record TensorType(int[] dims, boolean batched) {
    /**
     * A shape with more values than a Java array holds ({@link Limits#MAX_ELEMENTS}): a user
     * mistake, reported by the pass that asked for the shape at the layer's span.
     */
    public static final class TooLarge extends IllegalArgumentException {
        public TooLarge(int[] dims) {
            super(shapeText(dims) + " is " + Limits.count(elements(dims)) + " values, more than a tensor can hold ("
                    + Limits.count(Limits.MAX_ELEMENTS) + ", the largest Java array)", null);
        }
    }

    public TensorType {
        dims = dims.clone();
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("internal error: dimension " + d + " in " + Arrays.toString(dims));
            }
        }
        if (elements(dims) > Limits.MAX_ELEMENTS) {
            throw new TooLarge(dims);
        }
    }

    /** The product of the dimensions, saturating at {@code Long.MAX_VALUE}. */
    public static long elements(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyHigh(n, d) != 0 || n * d < 0 ? Long.MAX_VALUE : n * d;
        }
        return n;
    }

    public static TensorType batched(int... dims) {
        return new TensorType(dims, true);
    }

    public static TensorType fixed(int... dims) {
        return new TensorType(dims, false);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    /** Elements per sample (batched) or in all (fixed). */
    public int size() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public boolean sameShape(TensorType o) {
        return Arrays.equals(dims, o.dims) && batched == o.batched;
    }

    /** {@code [256]}, {@code [32, 13, 13]}: the notation of shape assertions. */
    public String shapeText() {
        return shapeText(dims);
    }

    /** {@code [256]}, {@code [32, 13, 13]} for any dimensions, valid or not. */
    public static String shapeText(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return (batched ? "[N, " + shapeText().substring(1) : shapeText());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && sameShape(t);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 2 + (batched ? 1 : 0);
    }
}
