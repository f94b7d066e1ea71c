package nnc.runtime.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import nnc.runtime.data.Dataset;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Inference;
import nnc.runtime.model.Training;

/**
 * The epoch loop: shuffle, copy each batch into the model's arena, step, evaluate, report.
 * The per-step work is all in the generated code; this class only moves data and keeps
 * score. Epoch time excludes evaluation.
 */
public final class Trainer {
    /** Rows per evaluation call. */
    static final int EVAL_BATCH = 512;

    private final CompiledModel model;
    private final Training training;
    private final TrainConfig config;
    private final TrainListener listener;

    public Trainer(CompiledModel model, Training training, TrainConfig config, TrainListener listener) {
        this.model = model;
        this.training = training;
        this.config = config;
        this.listener = listener;
    }

    /**
     * Trains on {@code train}, reporting {@code val} after every epoch.
     *
     * @return one result per epoch run (fewer than configured when stopped early)
     */
    public List<EpochResult> fit(Dataset train, Dataset val) {
        List<EpochResult> results = new ArrayList<>();
        int n = train.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom shuffleRng = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        SplittableRandom augmentRng = new SplittableRandom(config.seed() ^ 0xA5A5A5A5L);
        float[] arena = training.arena();
        int in = training.inputOffset();
        int tg = training.targetOffset();
        int batch = training.batch();
        LrSchedule schedule = config.schedule();
        EarlyStopping stop = config.stop();
        double best = Double.NaN;
        int bad = 0;
        float[] bestParams = null;
        boolean hasAccuracy = model.spec().objective().hasAccuracy();

        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            float lr = schedule.rate(epoch, config.epochs(), config.learningRate());
            training.setLearningRate(lr);
            listener.epochStart(epoch + 1, config.epochs(), n, lr);
            if (config.shuffle()) {
                shuffle(order, shuffleRng);
            }
            double lossSum = 0;
            double correct = 0;
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += batch) {
                int rows = Math.min(batch, n - from);
                train.copyBatch(order, from, rows, arena, in, arena, tg, config.augment(), augmentRng);
                lossSum += training.step(rows);
                correct += training.lastCorrect();
                listener.batchEnd(from + rows, lossSum / (from + rows));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Evaluation v = val == null ? new Evaluation(Double.NaN, Double.NaN, 0) : evaluate(model, training, val);
            EpochResult r = new EpochResult(epoch + 1, seconds, lossSum / n, hasAccuracy ? correct / n : Double.NaN,
                    v.loss(), v.accuracy(), lr, n);
            results.add(r);
            listener.epochEnd(r);
            schedule.observe(Double.isNaN(r.valLoss()) ? r.trainLoss() : r.valLoss());
            if (!Double.isFinite(r.trainLoss())) {
                listener.stoppedEarly(epoch + 1, "the training loss is " + r.trainLoss()
                        + "; lower the learning rate");
                break;
            }
            if (stop != null) {
                double value = stop.value(r);
                if (Double.isNaN(best) || stop.improves(value, best)) {
                    best = value;
                    bad = 0;
                    bestParams = model.params.clone();
                } else if (++bad >= stop.patience()) {
                    listener.stoppedEarly(epoch + 1, stop.monitor() + " has not improved for "
                            + stop.patience() + " epochs");
                    break;
                }
            }
        }
        if (bestParams != null) {
            System.arraycopy(bestParams, 0, model.params, 0, bestParams.length);
        }
        return results;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Mean loss and accuracy of the model over {@code data}, in inference mode. */
    public static Evaluation evaluate(CompiledModel model, Training training, Dataset data) {
        Inference inf = model.newInference(training.exec(), Math.min(EVAL_BATCH, Math.max(1, data.size())));
        return evaluate(model, inf, data);
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
