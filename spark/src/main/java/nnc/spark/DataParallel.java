package nnc.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.exec.Exec;
import nnc.runtime.io.CheckpointFile;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EpochResult;
import nnc.runtime.train.Rng;
import nnc.runtime.train.TrainConfig;
import nnc.runtime.train.Trainer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's loop of synchronous data-parallel training. It draws the epochs' orders exactly
 * as the single-process {@link Trainer} does (the same seed, the same shuffle), so step k's
 * global batch is the same samples, by index, whatever the number of partitions. Each step it
 * broadcasts the parameters and the batch's indices, collects every partition's share, adds the
 * shares in partition order (never in the order tasks finish, so a rerun is bit-identical) and
 * applies the optimizer with the model's own generated update code
 * ({@link Training#applyGradients}). Checkpoints use the format and the fields of
 * {@code nnc train}'s, so a driver that fails can be restarted with {@code resume}.
 */
final class DataParallel {
    private final JavaSparkContext sc;
    private final CompiledModel model;
    private final FitSpec spec;
    private final JavaRDD<Shard> shards;
    private final int n;
    private final ModelShip ship;

    DataParallel(JavaSparkContext sc, CompiledModel model, FitSpec spec, JavaRDD<Shard> shards, int n) {
        this.sc = sc;
        this.model = model;
        this.spec = spec;
        this.shards = shards;
        this.n = n;
        this.ship = ModelShip.of(model);
    }

    FitResult run() throws IOException {
        TrainConfig cfg = spec.config();
        int batch = cfg.batch();
        Training driver = model.newTraining(Exec.sequential(), 1, cfg.seed(), cfg.learningRate());
        int epoch = 0;
        int position = 0;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng shuffleRng = Trainer.shuffleRng(cfg.seed());
        double lossSum = 0;
        double correct = 0;
        List<EpochResult> history = new ArrayList<>();
        Checkpoint from = resumeFrom();
        if (from != null) {
            Checkpoint.Loop l = from.loop();
            if (l.order().length != n) {
                throw new IllegalArgumentException("the checkpoint in " + spec.runDir() + " was taken with "
                        + l.order().length + " samples; the data has " + n);
            }
            driver.restore(from.training());
            cfg.schedule().restore(l.schedule());
            epoch = l.epoch();
            position = l.position();
            order = l.order().clone();
            shuffleRng = new Rng(l.shuffleState());
            lossSum = l.lossSum();
            correct = l.correct();
            history.addAll(from.history());
        }
        List<double[]> steps = new ArrayList<>();
        int partitions = shards.getNumPartitions();
        double[] sum = new double[model.spec().trainableCount()];
        float[] mean = new float[sum.length];
        while (epoch < cfg.epochs() && !stepLimit(driver)) {
            if (position == 0) {
                driver.setLearningRate(cfg.schedule().rate(epoch, cfg.epochs(), cfg.learningRate()));
                if (cfg.shuffle()) {
                    Trainer.shuffle(order, shuffleRng);
                }
            }
            while (position < n && !stepLimit(driver)) {
                long t0 = System.nanoTime();
                int rows = Math.min(batch, n - position);
                long[] ids = new long[rows];
                for (int i = 0; i < rows; i++) {
                    ids[i] = order[position + i];
                }
                Broadcast<GradientStep.Input> in = sc.broadcast(
                        new GradientStep.Input(driver.steps(), model.params.clone(), ids));
                List<GradientStep.Partial> parts = shards.mapPartitions(
                        new GradientStep(ship, in, batch, cfg.seed(), spec.failOnce())).collect();
                in.destroy();
                long t1 = System.nanoTime();
                java.util.Arrays.fill(sum, 0);
                double loss = 0;
                double right = 0;
                int got = 0;
                long compute = 0;
                for (GradientStep.Partial p : parts) { // collect() keeps partition order
                    compute = Math.max(compute, p.nanos());
                    if (p.rows() == 0) {
                        continue;
                    }
                    got += p.rows();
                    loss += p.loss();
                    right += p.correct();
                    float[] g = p.grads();
                    for (int j = 0; j < g.length; j++) {
                        sum[j] += (double) g[j] * p.rows();
                    }
                }
                if (got != rows) {
                    throw new IllegalArgumentException("step " + driver.steps() + ": the partitions hold " + got
                            + " of the batch's " + rows + " samples; the sample indices must be 0 to " + (n - 1)
                            + ", each once");
                }
                for (int j = 0; j < sum.length; j++) {
                    mean[j] = (float) (sum[j] / rows);
                }
                driver.applyGradients(mean);
                long t2 = System.nanoTime();
                steps.add(new double[] {loss / rows, (t2 - t0) / 1e6, compute / 1e6, partitions});
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("the training loss is " + loss + " at step " + driver.steps());
                }
                lossSum += loss;
                correct += right;
                position += rows;
                if (position < n && spec.checkpointEvery() > 0 && driver.steps() % spec.checkpointEvery() == 0) {
                    checkpoint(driver, epoch, position, order, shuffleRng, lossSum, correct, history);
                }
            }
            if (position < n) {
                break;
            }
            EpochResult r = new EpochResult(epoch + 1, 0, lossSum / n, model.spec().objective().hasAccuracy()
                    ? correct / n : Double.NaN, Double.NaN, Double.NaN, driver.learningRate(), n);
            history.add(r);
            cfg.schedule().observe(r.trainLoss());
            epoch++;
            position = 0;
            lossSum = 0;
            correct = 0;
            checkpoint(driver, epoch, position, order, shuffleRng, lossSum, correct, history);
        }
        if (position > 0) {
            checkpoint(driver, epoch, position, order, shuffleRng, lossSum, correct, history);
        }
        boolean finished = epoch >= cfg.epochs();
        if (finished && spec.runDir() != null) {
            model.save(spec.runDir().resolve("weights.nnw"));
        }
        return new FitResult(driver.steps(), finished, List.copyOf(steps), List.copyOf(history));
    }

    private boolean stepLimit(Training driver) {
        return spec.maxSteps() > 0 && driver.steps() >= spec.maxSteps();
    }

    private Checkpoint resumeFrom() throws IOException {
        if (spec.runDir() == null || !spec.resume()) {
            return null;
        }
        Path file = spec.runDir().resolve("checkpoint.nnck");
        return Files.exists(file) ? CheckpointFile.read(file, model.spec()) : null;
    }

    private void checkpoint(Training driver, int epoch, int position, int[] order, Rng shuffleRng, double lossSum,
                            double correct, List<EpochResult> history) throws IOException {
        if (spec.runDir() == null) {
            return;
        }
        Files.createDirectories(spec.runDir());
        Checkpoint.Loop loop = new Checkpoint.Loop(epoch, position, order.clone(), shuffleRng.state(),
                spec.config().seed() ^ 0xA5A5A5A5L, lossSum, correct, 0, spec.config().schedule().state(), Double.NaN,
                0, 0);
        CheckpointFile.write(spec.runDir().resolve("checkpoint.nnck"), new Checkpoint(model.spec().name(),
                model.spec().fingerprint(), driver.save(), loop, null, history));
    }
}
