package nnc.spark;

import java.util.List;
import nnc.runtime.train.EpochResult;

/**
 * What {@link NncSpark#fit} did.
 *
 * @param steps    optimizer steps taken in all (a resumed run counts the earlier ones)
 * @param finished every epoch was trained (false: stopped at {@code maxSteps})
 * @param perStep  for each step of this call: {mean loss, wall milliseconds, the slowest
 *                 partition's compute milliseconds, partitions}
 * @param epochs   every finished epoch
 */
public record FitResult(long steps, boolean finished, List<double[]> perStep, List<EpochResult> epochs) {
    /** The loss of each step of this call, in order. */
    public double[] losses() {
        return perStep.stream().mapToDouble(s -> s[0]).toArray();
    }
}
