package nnc.spark;

import java.nio.file.Path;
import java.util.Objects;
import nnc.runtime.train.TrainConfig;

/**
 * How {@link NncSpark#fit} trains: the run's {@link TrainConfig} (the {@code train} block of the
 * .nn file: batch, epochs, seed, shuffle, learning rate and schedule), the columns, and the
 * distributed options.
 *
 * @param config       batch (the global batch), epochs, seed, shuffle, rate and schedule
 * @param inputCol     raw inputs: an array of numbers, an ML vector or image bytes
 * @param labelCol     the target: a class index, a number, or an array of numbers
 * @param indexCol     each sample's index, 0 to N-1, which decides the batches; null: the
 *                     DataFrame's row order ({@code zipWithIndex})
 * @param maxSteps     stop after this many steps in all (0: train every epoch)
 * @param runDir       where checkpoints and the weights go, or null
 * @param checkpointEvery also checkpoint every this many steps (0: at the end of each epoch only)
 * @param resume       continue from {@code runDir}'s checkpoint when it has one
 * @param failOnce     tests only: the first attempt of the task of partition
 *                     {@code failOnce[1]} in step {@code failOnce[0]} throws; null for none
 */
public record FitSpec(TrainConfig config, String inputCol, String labelCol, String indexCol, long maxSteps,
                      Path runDir, int checkpointEvery, boolean resume, long[] failOnce) {
    public FitSpec {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(inputCol, "inputCol");
        Objects.requireNonNull(labelCol, "labelCol");
        if (maxSteps < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("maxSteps and checkpointEvery must be >= 0");
        }
        if (config.stop() != null) {
            throw new IllegalArgumentException("early stopping needs a validation set, which fit does not hold; "
                    + "remove 'stop' from the train block (fit trains every epoch)");
        }
        if (config.augment()) {
            throw new IllegalArgumentException("fit does not augment data; remove the augmentation from the data "
                    + "declaration");
        }
    }

    /** The run settings of a compiled model's {@code train} block, as {@code nnc train} resolves them. */
    public static TrainConfig config(nnc.compiler.Compilation c) {
        nnc.compiler.pass.TrainSpec t = c.train();
        if (t == null) {
            throw new IllegalArgumentException(c.modelName() + " has no train declaration");
        }
        return new TrainConfig(t.epochs(), t.batch(), t.shuffle(), t.seed(), t.validationSplit(), t.optimizer().lr(),
                t.schedule(), t.stop(), c.data().augments());
    }

    /** Columns {@code input} and {@code label}, the row order as sample index, no run folder. */
    public static FitSpec of(TrainConfig config, String inputCol, String labelCol) {
        return new FitSpec(config, inputCol, labelCol, null, 0, null, 0, false, null);
    }

    public FitSpec indexCol(String c) {
        return new FitSpec(config, inputCol, labelCol, c, maxSteps, runDir, checkpointEvery, resume, failOnce);
    }

    public FitSpec maxSteps(long n) {
        return new FitSpec(config, inputCol, labelCol, indexCol, n, runDir, checkpointEvery, resume, failOnce);
    }

    public FitSpec runDir(Path dir, int every, boolean resumeIfPresent) {
        return new FitSpec(config, inputCol, labelCol, indexCol, maxSteps, dir, every, resumeIfPresent, failOnce);
    }

    /** Tests: the first attempt of partition {@code partition}'s task in step {@code step} (0-based) throws. */
    public FitSpec failOnce(long step, int partition) {
        return new FitSpec(config, inputCol, labelCol, indexCol, maxSteps, runDir, checkpointEvery, resume,
                new long[] {step, partition});
    }
}
