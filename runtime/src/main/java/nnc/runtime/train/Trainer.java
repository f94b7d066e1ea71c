package nnc.runtime.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import nnc.runtime.data.Dataset;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Inference;
import nnc.runtime.model.Training;

/**
 * The epoch loop: shuffle, copy each batch into the model's arena, step, evaluate, report,
 * checkpoint. The per-step work is all in the generated code; this class moves data, keeps
 * score, and keeps everything it carries from step to step in fields a {@link Checkpoint}
 * captures, so a run continued from a checkpoint takes exactly the steps the uninterrupted run
 * would have taken. Epoch time excludes evaluation.
 *
 * <p>Checkpoints are taken before the first step, after every epoch, every
 * {@code checkpointEvery} steps, and when a stop is requested (between two steps). A step
 * whose loss is not finite ends the run as {@link Outcome#DIVERGED} without a checkpoint, so
 * the last one holds the last good state; so does a checkpoint whose parameters or optimizer
 * state are not finite, which is never written.
 */
public final class Trainer {
    /** Rows per evaluation call. */
    static final int EVAL_BATCH = 512;

    public enum Outcome { FINISHED, STOPPED_EARLY, INTERRUPTED, DIVERGED }

    /**
     * How a run ended.
     *
     * @param epochs     every finished epoch, including those before a resume
     * @param reason     why it stopped early or diverged; empty otherwise
     * @param divergence where it diverged, or null
     */
    public record Result(Outcome outcome, List<EpochResult> epochs, String reason, Divergence divergence) {
    }

    /**
     * The step after which something was first seen non-finite.
     *
     * @param epoch       1-based
     * @param stepInEpoch 1-based
     * @param step        the run's step count, 1-based
     */
    public record Divergence(int epoch, int stepInEpoch, long step) {
    }

    /** Where checkpoints go (a file, in the command line). */
    public interface CheckpointSink {
        void write(Checkpoint checkpoint) throws IOException;
    }

    private final CompiledModel model;
    private final Training training;
    private final TrainConfig config;
    private final TrainListener listener;
    private CheckpointSink sink;
    private int every;
    private BooleanSupplier stopRequested = () -> false;
    private Checkpoint resume;

    // The loop's state: what a checkpoint holds besides the training state.
    private int epoch;
    private int position;
    private int[] order;
    private Rng shuffleRng;
    private Rng augmentRng;
    private double lossSum;
    private double correct;
    private double seconds;
    private double best = Double.NaN;
    private int bad;
    private int bestEpoch;
    private float[] bestParams;
    private final List<EpochResult> history = new ArrayList<>();

    public Trainer(CompiledModel model, Training training, TrainConfig config, TrainListener listener) {
        this.model = model;
        this.training = training;
        this.config = config;
        this.listener = listener;
    }

    /** Sends checkpoints to {@code sink}: at the start, after every epoch, and every {@code steps} steps (0: never). */
    public Trainer checkpoints(CheckpointSink sink, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + steps);
        }
        this.sink = sink;
        this.every = steps;
        return this;
    }

    /** Polled between steps; when true, the run checkpoints and ends as {@link Outcome#INTERRUPTED}. */
    public Trainer stopWhen(BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
        return this;
    }

    /** Continues from {@code checkpoint} (taken with the same config and training data) instead of starting. */
    public Trainer resumeFrom(Checkpoint checkpoint) {
        this.resume = checkpoint;
        return this;
    }

    /**
     * Trains on {@code train}, reporting {@code val} (may be null) after every epoch. At the end
     * of a finished or early-stopped run the best epoch's parameters are in the model when early
     * stopping kept one.
     *
     * @throws IOException when a checkpoint cannot be written (the previous one is intact)
     */
    public Result run(Dataset train, Dataset val) throws IOException {
        int n = train.size();
        start(n);
        float[] arena = training.arena();
        int in = training.inputOffset();
        int tg = training.targetOffset();
        int batch = training.batch();
        EarlyStopping stop = config.stop();
        boolean hasAccuracy = model.spec().objective().hasAccuracy();
        if (resume == null && !checkpoint()) {
            return diverged(new Divergence(0, 0, 0), "the initial parameters are not finite");
        }
        while (true) {
            if (stop != null && bad >= stop.patience()) {
                String reason = stop.monitor() + " has not improved for " + stop.patience() + " epochs";
                listener.stoppedEarly(epoch, reason);
                return finish(Outcome.STOPPED_EARLY, reason);
            }
            if (epoch >= config.epochs()) {
                return finish(Outcome.FINISHED, "");
            }
            if (position == 0 && stopRequested.getAsBoolean()) {
                return new Result(Outcome.INTERRUPTED, List.copyOf(history), "", null);
            }
            if (position == 0) {
                training.setLearningRate(config.schedule().rate(epoch, config.epochs(), config.learningRate()));
                if (config.shuffle()) {
                    shuffle(order, shuffleRng);
                }
            }
            listener.epochStart(epoch + 1, config.epochs(), n, training.learningRate());
            if (position > 0) {
                listener.batchEnd(position, lossSum / position);
            }
            long t0 = System.nanoTime();
            while (position < n) {
                int rows = Math.min(batch, n - position);
                train.copyBatch(order, position, rows, arena, in, arena, tg, config.augment(), augmentRng);
                float loss = training.step(rows);
                if (!Float.isFinite(loss)) {
                    return diverged(new Divergence(epoch + 1, position / batch + 1, training.steps()),
                            "the training loss is " + loss);
                }
                lossSum += loss;
                correct += training.lastCorrect();
                position += rows;
                listener.batchEnd(position, lossSum / position);
                boolean interrupted = position < n && stopRequested.getAsBoolean();
                if (position < n && (interrupted || every > 0 && training.steps() % every == 0)) {
                    long now = System.nanoTime();
                    seconds += (now - t0) / 1e9;
                    t0 = now;
                    if (!checkpoint()) {
                        return diverged(new Divergence(epoch + 1, position / batch, training.steps()), NON_FINITE);
                    }
                    if (interrupted) {
                        return new Result(Outcome.INTERRUPTED, List.copyOf(history), "", null);
                    }
                }
            }
            seconds += (System.nanoTime() - t0) / 1e9;
            Evaluation v = val == null ? new Evaluation(Double.NaN, Double.NaN, 0) : evaluate(model, training, val);
            EpochResult r = new EpochResult(epoch + 1, seconds, lossSum / n, hasAccuracy ? correct / n : Double.NaN,
                    v.loss(), v.accuracy(), training.learningRate(), n);
            history.add(r);
            listener.epochEnd(r);
            config.schedule().observe(Double.isNaN(r.valLoss()) ? r.trainLoss() : r.valLoss());
            if (stop != null) {
                double value = stop.value(r);
                if (Double.isNaN(best) || stop.improves(value, best)) {
                    best = value;
                    bad = 0;
                    bestParams = model.params.clone();
                    bestEpoch = epoch + 1;
                } else {
                    bad++;
                }
            }
            epoch++;
            position = 0;
            lossSum = 0;
            correct = 0;
            seconds = 0;
            if (!checkpoint()) {
                return diverged(new Divergence(epoch, (n + batch - 1) / batch, training.steps()), NON_FINITE);
            }
        }
    }

    private static final String NON_FINITE = "the parameters or the optimizer state are not finite";

    /** The state of the run now, as a checkpoint holds it. */
    public Checkpoint snapshot() {
        return new Checkpoint(model.spec().name(), model.spec().fingerprint(), training.save(),
                new Checkpoint.Loop(epoch, position, order.clone(), shuffleRng.state(), augmentRng.state(), lossSum,
                        correct, seconds, config.schedule().state(), best, bad, bestEpoch), bestParams, history);
    }

    private void start(int n) {
        if (resume == null) {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            shuffleRng = shuffleRng(config.seed());
            augmentRng = new Rng(config.seed() ^ 0xA5A5A5A5L);
            return;
        }
        Checkpoint.Loop l = resume.loop();
        if (l.order().length != n) {
            throw new IllegalArgumentException("the checkpoint was taken with " + l.order().length
                    + " training samples, the data has " + n);
        }
        training.restore(resume.training());
        config.schedule().restore(l.schedule());
        epoch = l.epoch();
        position = l.position();
        order = l.order().clone();
        shuffleRng = new Rng(l.shuffleState());
        augmentRng = new Rng(l.augmentState());
        lossSum = l.lossSum();
        correct = l.correct();
        seconds = l.seconds();
        best = l.stopBest();
        bad = l.stopBad();
        bestEpoch = l.bestEpoch();
        bestParams = resume.bestParams() == null ? null : resume.bestParams().clone();
        history.addAll(resume.history());
    }

    /** The shuffle stream of a run with {@code seed}. */
    public static Rng shuffleRng(long seed) {
        return new Rng(seed ^ 0x5DEECE66DL);
    }

    /** Writes a checkpoint unless the state went non-finite; false then. */
    private boolean checkpoint() throws IOException {
        for (float[] a : training.stateArrays()) {
            if (!allFinite(a)) {
                return false;
            }
        }
        if (sink != null) {
            sink.write(snapshot());
        }
        return true;
    }

    private Result finish(Outcome outcome, String reason) {
        if (bestParams != null) {
            System.arraycopy(bestParams, 0, model.params, 0, bestParams.length);
            model.paramsChanged();
        }
        return new Result(outcome, List.copyOf(history), reason, null);
    }

    private Result diverged(Divergence d, String what) {
        return new Result(Outcome.DIVERGED, List.copyOf(history), what, d);
    }

    /** The epoch of the best parameters so far (0: none). */
    public int bestEpoch() {
        return bestEpoch;
    }

    static boolean allFinite(float[] a) {
        for (float x : a) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** The epoch shuffle (Fisher-Yates on {@code rng}); data-parallel training draws the same orders. */
    public static void shuffle(int[] a, Rng rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Mean loss and accuracy of the model over {@code data}, in inference mode. */
    public static Evaluation evaluate(CompiledModel model, Training training, Dataset data) {
        return evaluate(model, training.exec(), data);
    }

    /** The same, without a training side ({@code nnc evaluate}): the same figures on the same thread count. */
    public static Evaluation evaluate(CompiledModel model, nnc.runtime.exec.Exec exec, Dataset data) {
        return evaluate(model, model.newInference(exec, Math.min(EVAL_BATCH, Math.max(1, data.size()))), data);
    }

    public static Evaluation evaluate(CompiledModel model, Inference inf, Dataset data) {
        double loss = 0;
        double correct = 0;
        int n = data.size();
        float[] arena = inf.arena();
        for (int from = 0; from < n; from += inf.capacity()) {
            int rows = Math.min(inf.capacity(), n - from);
            data.copyBatch(null, from, rows, arena, inf.inputOffset(), arena, inf.targetOffset(), false, null);
            inf.run(rows);
            float[] s = inf.loss(rows);
            loss += s[0];
            correct += s[1];
        }
        boolean acc = model.spec().objective().hasAccuracy();
        return new Evaluation(loss / n, acc ? correct / n : Double.NaN, n);
    }
}
