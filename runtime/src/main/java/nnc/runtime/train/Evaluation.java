package nnc.runtime.train;

/** Mean loss and accuracy (NaN when the objective has none) over a dataset. */
public record Evaluation(double loss, double accuracy, int samples) {
}
