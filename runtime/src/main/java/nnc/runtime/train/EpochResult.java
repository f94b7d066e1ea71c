package nnc.runtime.train;

/**
 * One epoch's figures. {@code seconds} is training time only (no evaluation). The
 * {@code val} figures come from the validation split, NaN when none is declared (the
 * test set is not looked at during training); accuracy is NaN for regression.
 */
public record EpochResult(int epoch, double seconds, double trainLoss, double trainAccuracy,
                          double valLoss, double valAccuracy, float learningRate, long samples) {
    public double samplesPerSecond() {
        return samples / seconds;
    }
}
