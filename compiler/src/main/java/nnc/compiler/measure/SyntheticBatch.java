package nnc.compiler.measure;

import java.util.SplittableRandom;
import nnc.runtime.data.Dataset;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Objective;

/**
 * A batch of random samples shaped for a model, with targets its objective accepts: inputs in
 * [0, 1), class indices below the output size, 0/1 labels, or values in [-1, 1). For timing
 * and allocation measurements that need no dataset on disk.
 */
public final class SyntheticBatch {
    private SyntheticBatch() {
    }

    public static Dataset of(ModelSpec spec, int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * spec.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        int ts = spec.targetSize();
        float[] t = new float[rows * ts];
        int classes = 0;
        for (int i = 0; i < t.length; i++) {
            t[i] = switch (spec.objective()) {
                case CLASSIFY -> rng.nextInt(Math.max(2, spec.outputSize()));
                case BINARY -> rng.nextInt(2);
                case REGRESS, NONE -> (float) rng.nextDouble(-1, 1);
            };
        }
        if (spec.objective() == Objective.CLASSIFY) {
            classes = Math.max(2, spec.outputSize());
        }
        return Dataset.ofFloats("synthetic", spec.inputShape(), x, t, ts, classes);
    }
}
