package nnc.runtime.train;

import java.util.List;
import nnc.runtime.model.Training;

/**
 * A training run between two steps, complete enough that continuing from it gives the same
 * bits as never having stopped (with the same thread count): the parameters and optimizer
 * state, the epoch loop's position and every random stream, the schedule's and early
 * stopping's state, and the metrics so far. {@code io/CheckpointFile} stores it
 * (docs/formats.md, "Checkpoints").
 *
 * @param fingerprint the model structure's fingerprint ({@code ModelSpec.fingerprint})
 * @param training    parameters, optimizer state, step count, current learning rate
 * @param bestParams  the parameters of the best epoch so far (early stopping), or null
 * @param history     one result per finished epoch
 */
public record Checkpoint(String model, long fingerprint, Training.State training, Loop loop, float[] bestParams,
                         List<EpochResult> history) {
    public Checkpoint {
        history = List.copyOf(history);
    }

    /** Epochs finished. */
    public int epoch() {
        return loop.epoch();
    }

    /**
     * Where the epoch loop is.
     *
     * @param epoch        epochs finished (the one in progress is {@code epoch + 1}, 1-based)
     * @param position     samples of the epoch in progress already trained on; 0 means the next
     *                     epoch has not started (its rate is not set and its order not shuffled)
     * @param order        the sample order of the epoch in progress (it is shuffled in place,
     *                     epoch after epoch)
     * @param shuffleState state of the shuffling {@link Rng}
     * @param augmentState state of the augmentation {@link Rng}
     * @param lossSum      summed training loss of the epoch in progress
     * @param correct      rows predicted right in the epoch in progress
     * @param seconds      training time of the epoch in progress so far
     * @param schedule     the learning-rate schedule's {@link LrSchedule#state()}
     * @param stopBest     the best monitored value (NaN: none yet, or no early stopping)
     * @param stopBad      epochs since it improved
     * @param bestEpoch    the epoch of {@code bestParams} (0: none)
     */
    public record Loop(int epoch, int position, int[] order, long shuffleState, long augmentState, double lossSum,
                       double correct, double seconds, double[] schedule, double stopBest, int stopBad, int bestEpoch) {
    }
}
