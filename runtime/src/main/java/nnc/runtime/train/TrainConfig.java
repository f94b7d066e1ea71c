package nnc.runtime.train;

/**
 * How to train: from the {@code train} block of a .nn file, with command-line overrides.
 *
 * @param validationSplit fraction of the training set held out for validation (the last
 *                        samples, before shuffling), or 0 for none (the test set is
 *                        never used during training)
 * @param stop            early stopping, or null
 */
public record TrainConfig(int epochs, int batch, boolean shuffle, long seed, double validationSplit,
                          float learningRate, LrSchedule schedule, EarlyStopping stop, boolean augment) {
    public TrainConfig {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1");
        }
        if (validationSplit < 0 || validationSplit >= 1) {
            throw new IllegalArgumentException("validation split must be in [0, 1)");
        }
    }

    public TrainConfig withEpochs(int epochs) {
        return new TrainConfig(epochs, batch, shuffle, seed, validationSplit, learningRate, schedule, stop, augment);
    }

    public TrainConfig withBatch(int batch) {
        return new TrainConfig(epochs, batch, shuffle, seed, validationSplit, learningRate, schedule, stop, augment);
    }

    public TrainConfig withLearningRate(float lr) {
        return new TrainConfig(epochs, batch, shuffle, seed, validationSplit, lr, schedule, stop, augment);
    }

    public TrainConfig withSeed(long seed) {
        return new TrainConfig(epochs, batch, shuffle, seed, validationSplit, learningRate, schedule, stop, augment);
    }
}
