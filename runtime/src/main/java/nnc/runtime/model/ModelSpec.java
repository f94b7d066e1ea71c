package nnc.runtime.model;

import java.util.List;

/**
 * What generated code declares about itself: shapes without the batch dimension, the
 * tensors in the flat parameter array, and a fingerprint of the structure so a weights
 * file for another network is refused.
 *
 * @param trainableCount the trainable tensors come first; {@code [0, trainableCount)} is
 *                       what the optimizer updates
 * @param serving        the preprocessing of raw inputs and the meaning of the outputs
 */
public record ModelSpec(String name, String source, int[] inputShape, int[] outputShape,
                        Objective objective, List<TensorSpec> tensors, int paramCount,
                        int trainableCount, long fingerprint, Serving serving) {
    public ModelSpec {
        inputShape = inputShape.clone();
        outputShape = outputShape.clone();
        tensors = List.copyOf(tensors);
        java.util.Objects.requireNonNull(serving, "serving");
    }

    /** A spec whose raw inputs go to the network unchanged ({@link Serving#none()}). */
    public ModelSpec(String name, String source, int[] inputShape, int[] outputShape, Objective objective,
                     List<TensorSpec> tensors, int paramCount, int trainableCount, long fingerprint) {
        this(name, source, inputShape, outputShape, objective, tensors, paramCount, trainableCount, fingerprint,
                Serving.none());
    }

    public int inputSize() {
        return product(inputShape);
    }

    public int outputSize() {
        return product(outputShape);
    }

    /** Floats of target per sample: a class index, or one value per output. */
    public int targetSize() {
        return objective == Objective.CLASSIFY ? 1 : outputSize();
    }

    public TensorSpec tensor(String name) {
        for (TensorSpec t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int[] outputShape() {
        return outputShape.clone();
    }

    /** The input shape as text, {@code [1, 28, 28]}. */
    public String inputShapeText() {
        return java.util.Arrays.toString(inputShape);
    }

    static int product(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }
}
