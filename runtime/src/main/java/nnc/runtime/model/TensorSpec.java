package nnc.runtime.model;

import java.util.Arrays;

/**
 * One named tensor inside a model's flat parameter array: trainable weights and biases,
 * and state such as batch-norm running statistics (not trainable).
 *
 * @param offset    first element in the flat array
 * @param trainable whether the optimizer updates it
 * @param origin    the .nn source position it comes from ({@code file:line:col}), for messages
 */
public record TensorSpec(String name, int[] shape, int offset, boolean trainable, String origin) {
    public TensorSpec {
        shape = shape.clone();
    }

    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && t.offset == offset && t.trainable == trainable;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
