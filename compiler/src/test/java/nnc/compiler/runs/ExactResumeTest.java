package nnc.compiler.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import nnc.compiler.CompileResult;
import nnc.compiler.TestModels;
import nnc.runtime.data.Augment;
import nnc.runtime.data.Dataset;
import nnc.runtime.exec.Exec;
import nnc.runtime.io.CheckpointFile;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.EpochResult;
import nnc.runtime.train.LrSchedule;
import nnc.runtime.train.TrainConfig;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped between any two steps and continued from its checkpoint file takes exactly the
 * uninterrupted run's steps: every random stream (shuffle, augmentation crops and flips,
 * dropout), the optimizer's momentum, batch norm's running statistics, a plateau schedule's and
 * early stopping's state, the best epoch's weights and the metrics so far all come back.
 */
class ExactResumeTest {
    static final String MODEL = """
            model R {
                input x: [1, 6, 6]
                x -> conv2d(4, 3, pad: same) -> batchnorm -> relu -> flatten -> dropout(0.3) -> linear(3)
            }
            data d = idx("unused") | random_crop(pad: 1) | hflip
            train R on d {
                loss      cross_entropy
                optimizer sgd(lr: 0.2, momentum: 0.9)
                batch     16, shuffle
                epochs    10
                validate  split: 0.25
                schedule  reduce_on_plateau(patience: 0, factor: 0.5)
                stop      early(monitor: val_loss, patience: 2)
                seed      5
            }
            """;
    static final int THREADS = 2;

    @TempDir
    Path tmp;

    final CompileResult compiled = TestModels.build(MODEL, true);
    final Dataset train = images(72, 1);
    final Dataset val = images(24, 2);

    /** Images whose class decides where a bright blob is, plus noise. */
    static Dataset images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 36];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            y[i] = c;
            for (int j = 0; j < 36; j++) {
                x[i * 36 + j] = (float) (r.nextGaussian() * 0.5 + (j % 6 / 2 == c ? 1 : 0));
            }
        }
        return Dataset.ofFloats("blobs", new int[] {1, 6, 6}, x, y, 1, 3).augmented(new Augment(1, true));
    }

    record Run(Trainer.Result result, float[] params) {
    }

    /** Trains from {@code from} (null: the start), stopping once {@code stopAt} steps are done (0: never). */
    Run train(Checkpoint from, long stopAt, Path checkpoints) throws IOException {
        CompiledModel model = compiled.newModel();
        model.initialize(5);
        TrainConfig config = new TrainConfig(10, 16, true, 5, 0.25, 0.2f, new LrSchedule.ReduceOnPlateau(0, 0.5f),
                new EarlyStopping("val_loss", 2, 0), true);
        try (Exec exec = Exec.threads(THREADS)) {
            Training t = model.newTraining(exec, 16, 5, 0.2f);
            Trainer trainer = new Trainer(model, t, config, TrainListener.NONE)
                    .checkpoints(c -> CheckpointFile.write(checkpoints, c), 1)
                    .stopWhen(() -> stopAt > 0 && t.steps() >= stopAt);
            if (from != null) {
                trainer.resumeFrom(from);
            }
            return new Run(trainer.run(train, val), model.params.clone());
        }
    }

    @Test
    void stoppedAnywhereAndResumedFromTheFileGivesTheSameBits() throws IOException {
        Path file = tmp.resolve("c.nnck");
        Run ref = train(null, 0, tmp.resolve("ref.nnck"));
        assertEquals(Trainer.Outcome.STOPPED_EARLY, ref.result().outcome(), "the test needs early stopping to act");
        List<EpochResult> h = ref.result().epochs();
        assertNotEquals(h.get(0).learningRate(), h.get(h.size() - 1).learningRate(), "and the plateau schedule");
        int steps = (int) (h.size() * Math.ceil(72 / 16.0));
        for (long[] stops : new long[][] {{1}, {4}, {5}, {13, 14}, {steps - 6, steps - 1}}) {
            Checkpoint from = null;
            for (long stop : stops) {
                Run part = train(from, stop, file);
                assertEquals(Trainer.Outcome.INTERRUPTED, part.result().outcome());
                from = CheckpointFile.read(file, compiled.newModel().spec());
                assertEquals(stop, from.training().steps());
            }
            Run resumed = train(from, 0, file);
            String where = "stopped after steps " + java.util.Arrays.toString(stops);
            assertEquals(ref.result().outcome(), resumed.result().outcome(), where);
            assertArrayEquals(ref.params(), resumed.params(), where);
            assertEquals(withoutTimes(h), withoutTimes(resumed.result().epochs()), where);
        }
        assertTrue(h.size() < 10);
    }

    static List<EpochResult> withoutTimes(List<EpochResult> h) {
        return h.stream().map(r -> new EpochResult(r.epoch(), 0, r.trainLoss(), r.trainAccuracy(), r.valLoss(),
                r.valAccuracy(), r.learningRate(), r.samples())).toList();
    }
}
