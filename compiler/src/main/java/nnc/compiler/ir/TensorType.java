package nnc.compiler.ir;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The static type of a value: its dimensions without the batch, and whether it has one.
 * Activations and their gradients are batched ({@code [N, ...dims]}); parameters, their
 * gradients and per-channel statistics are not.
 */
public record TensorType(int[] dims, boolean batched) {
    public TensorType {
        dims = dims.clone();
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("dimension " + d + " in " + Arrays.toString(dims));
            }
        }
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
