package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import nnc.compiler.CompileResult;
import nnc.runtime.data.Dataset;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import nnc.runtime.train.TrainConfig;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.Trainer;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synchronous data-parallel training of the tutorial's MNIST MLP (with its dropout: each
 * partition's rows draw the masks they draw in the whole batch) against single-process training with the same global batch: 200 steps of 64
 * on 12,800 samples (one epoch), on 1, 2 and 4 partitions of a randomly repartitioned
 * DataFrame; a rerun with an injected task failure, and a driver resumed from a checkpoint,
 * bit-identical to the clean run.
 */
class FitTest {
    static final int N = 12_800;
    static final long SEED = 42;
    static CompileResult compiled;
    static TrainConfig config;
    static SparkTests.Mnist train;
    static org.apache.spark.sql.Dataset<Row> frame;
    static float[] singleParams;
    static double[] singleLosses;

    @BeforeAll
    static void single() throws Exception {
        String text = Files.readString(SparkTests.root().resolve("samples/mnist_mlp.nn"));
        assertTrue(text.contains("(p = 0.3)"), "the sample trains with dropout");
        compiled = SparkTests.compile(text, "mnist_mlp.nn");
        config = FitSpec.config(compiled.compilation()).withEpochs(1);
        train = SparkTests.mnist("train", N);
        frame = SparkTests.frame(train).cache();
        frame.count();
        CompiledModel model = compiled.newModel();
        model.initialize(SEED);
        float[] x = new float[N * 784];
        model.spec().serving().prepare(train.pixels(), 0, x, 0, N, 784);
        float[] t = new float[N];
        for (int i = 0; i < N; i++) {
            t[i] = train.labels()[i];
        }
        Dataset data = Dataset.ofFloats("mnist", new int[] {784}, x, t, 1, 10);
        List<Double> losses = new ArrayList<>();
        TrainListener steps = new TrainListener() {
            double before;

            @Override
            public void batchEnd(long done, double meanLoss) {
                double sum = meanLoss * done;
                losses.add((sum - before) / Math.min(64, done - (long) (losses.size()) * 64));
                before = sum;
            }
        };
        Training training = model.newTraining(Exec.sequential(), config.batch(), SEED, config.learningRate());
        new Trainer(model, training, config, steps).run(data, null);
        assertEquals(200, training.steps());
        singleParams = model.params.clone();
        singleLosses = losses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    record Run(float[] params, double[] losses, FitResult result) {
    }

    static Run spark(int partitions, FitSpec spec) {
        CompiledModel model = compiled.newModel();
        model.initialize(SEED);
        FitResult r = NncSpark.fit(model, frame.repartition(partitions), spec);
        return new Run(model.params.clone(), r.losses(), r);
    }

    static FitSpec spec() {
        return FitSpec.of(config, "pixels", "label").indexCol("id");
    }

    @Test
    void onePartitionTwoAndFourMatchSingleProcess() {
        for (int p : new int[] {1, 2, 4}) {
            Run run = spark(p, spec());
            assertEquals(200, run.result().steps());
            assertEquals(200, run.losses().length);
            double dp = maxDiff(run.params(), singleParams);
            double dl = 0;
            for (int i = 0; i < 200; i++) {
                dl = Math.max(dl, Math.abs(run.losses()[i] - singleLosses[i]));
            }
            System.out.printf(Locale.ROOT, "partitions %d: params max |diff| %.3g, loss max |diff| %.3g, loss %.4f -> %.4f, %s%n",
                    p, dp, dl, run.losses()[0], run.losses()[199], timing(run.result()));
            assertTrue(dp <= 1e-4, "params differ by " + dp + " on " + p + " partitions");
            assertTrue(dl <= 1e-4, "losses differ by " + dl + " on " + p + " partitions");
            assertTrue(run.losses()[199] < run.losses()[0] / 3, "the loss went down");
        }
    }

    @Test
    void aRetriedTaskAndAResumedDriverGiveTheSameBits(@TempDir Path tmp) {
        Run clean = spark(2, spec());
        // The first attempt of partition 1's task in step 57 throws; Spark (local[2,2]) runs it again.
        Run faulty = spark(2, spec().failOnce(57, 1));
        assertArrayEquals(clean.params(), faulty.params(), "a retried task changed the weights");
        assertArrayEquals(clean.losses(), faulty.losses());
        // A driver that stops after 100 steps (its checkpoint), and a new one that resumes from it.
        Run first = spark(2, spec().maxSteps(100).runDir(tmp, 50, false));
        assertEquals(100, first.result().steps());
        assertTrue(Files.exists(tmp.resolve("checkpoint.nnck")));
        Run resumed = spark(2, spec().runDir(tmp, 50, true));
        assertEquals(200, resumed.result().steps());
        assertEquals(100, resumed.losses().length);
        assertArrayEquals(clean.params(), resumed.params(), "the resumed run's weights differ");
        assertArrayEquals(Arrays.copyOfRange(clean.losses(), 100, 200), resumed.losses());
        assertTrue(Files.exists(tmp.resolve("weights.nnw")));
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** Median wall and compute milliseconds per step over the last 100 steps. */
    static String timing(FitResult r) {
        List<double[]> s = r.perStep().subList(r.perStep().size() / 2, r.perStep().size());
        double[] wall = s.stream().mapToDouble(x -> x[1]).sorted().toArray();
        double[] comp = s.stream().mapToDouble(x -> x[2]).sorted().toArray();
        return String.format(Locale.ROOT, "step median %.1f ms (min %.1f, max %.1f), slowest partition's compute "
                + "median %.2f ms", wall[wall.length / 2], wall[0], wall[wall.length - 1], comp[comp.length / 2]);
    }
}
