package nnc.runtime.train;

/** Progress callbacks from {@link Trainer}; the command line draws its progress bar with them. */
public interface TrainListener {
    default void epochStart(int epoch, int epochs, long samples, float learningRate) {
    }

    /** After each batch: samples done in this epoch and the mean training loss so far. */
    default void batchEnd(long done, double meanLoss) {
    }

    default void epochEnd(EpochResult result) {
    }

    /** Training stopped before the last epoch. */
    default void stoppedEarly(int epoch, String reason) {
    }

    TrainListener NONE = new TrainListener() {
    };
}
