package nnc.compiler.cli;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nnc.compiler.Compilation;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.runs.KeyValues;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.RunWeights;
import nnc.compiler.runs.Runs;
import nnc.runtime.io.CheckpointFile;
import nnc.runtime.io.WeightsFile;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Objective;
import nnc.runtime.model.Training;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EpochResult;
import nnc.runtime.train.Evaluation;
import nnc.runtime.train.Trainer;

/**
 * A training run's checkpoints and its end: the files each outcome leaves in the run folder,
 * what the user is told, and the exit code. Only a run that ends normally writes
 * {@code weights.nnw}; an interrupted or diverged one leaves its last good checkpoint.
 */
final class RunEnd {
    private final RunFolder run;
    private final TrainSettings settings;
    private final SourceFile source;
    private final NncCompiler.Options options;
    private final Compilation c;
    private final CompiledModel model;
    private final Training training;
    private final TrainingData data;
    private Checkpoint last;

    /** @param options how the run's model was compiled (a diverged run is replayed on a profiled build of it) */
    RunEnd(RunFolder run, TrainSettings settings, SourceFile source, NncCompiler.Options options, Compilation c,
           CompiledModel model, Training training, TrainingData data) {
        this.options = options;
        this.run = run;
        this.settings = settings;
        this.source = source;
        this.c = c;
        this.model = model;
        this.training = training;
        this.data = data;
    }

    /** Writes a checkpoint (the trainer's sink) and keeps it as the last good state. */
    void checkpoint(Checkpoint ck) throws IOException {
        CheckpointFile.write(run.file(RunFolder.CHECKPOINT), ck);
        last = ck;
    }

    /** The checkpoint a resumed run starts from, already on disk. */
    void resumedFrom(Checkpoint ck) {
        last = ck;
    }

    int finish(Trainer.Result r, Trainer trainer, boolean profile) throws IOException {
        return switch (r.outcome()) {
            case FINISHED, STOPPED_EARLY -> finished(r, trainer, profile);
            case INTERRUPTED -> interrupted(r);
            case DIVERGED -> diverged(r);
        };
    }

    private int finished(Trainer.Result r, Trainer trainer, boolean profile) throws IOException {
        model.save(run.file(RunFolder.WEIGHTS));
        if (profile) {
            System.err.print(nnc.compiler.measure.StepProfiler.measure(training, data.train(), 200,
                    training.exec().workerThreadIds()).render());
        }
        Evaluation e = Trainer.evaluate(model, training, data.test());
        Map<String, String> result = result(r.outcome() == Trainer.Outcome.FINISHED ? "finished" : "stopped_early", r);
        int weightsEpoch = trainer.bestEpoch() > 0 ? trainer.bestEpoch() : r.epochs().size();
        result.put("weights_epoch", String.valueOf(weightsEpoch));
        if (weightsEpoch > 0) {
            EpochResult w = r.epochs().get(weightsEpoch - 1);
            result.put("train_loss", number(w.trainLoss()));
            result.put("train_accuracy", number(w.trainAccuracy()));
            result.put("val_loss", number(w.valLoss()));
            result.put("val_accuracy", number(w.valAccuracy()));
        }
        result.put("test_loss", number(e.loss()));
        result.put("test_accuracy", number(e.accuracy()));
        result.put("reason", r.reason());
        KeyValues.write(run.file(RunFolder.RESULT), "how the run ended", result);
        double[] secs = r.epochs().stream().mapToDouble(EpochResult::seconds).sorted().toArray();
        System.err.printf(Locale.ROOT, "nnc: median epoch %.2f s; run folder %s (%s, %s)%n", secs[secs.length / 2], run,
                RunFolder.WEIGHTS, RunFolder.METRICS);
        System.out.println(testLine(c.objective(), e));
        return Main.OK;
    }

    private int interrupted(Trainer.Result r) throws IOException {
        Map<String, String> result = result("interrupted", r);
        result.put("checkpoint", RunWeights.where(last));
        result.put("resume", resumeCommand());
        KeyValues.write(run.file(RunFolder.RESULT), "how the run ended", result);
        System.err.println("nnc: interrupted " + RunWeights.where(last) + "; the checkpoint is "
                + Runs.display(run.file(RunFolder.CHECKPOINT)));
        System.err.println("nnc: resume with: " + resumeCommand());
        return Interrupts.EXIT;
    }

    /** A write that failed while the run trained or ended (a full disk): what is kept and how to go on. */
    UserError failed(IOException e) {
        String kept = last == null ? "no checkpoint was written, so there is nothing to resume: start the run again"
                : "the last checkpoint (" + RunWeights.where(last) + ") is kept in "
                + Runs.display(run.file(RunFolder.CHECKPOINT)) + "\nnnc: resume with: "
                + resumeCommand();
        return new UserError("nnc: cannot write " + TrainCommand.describe(e) + "\nnnc: " + kept);
    }

    private int diverged(Trainer.Result r) throws IOException {
        Trainer.Divergence d = r.divergence();
        int perEpoch = (data.train().size() + settings.batch() - 1) / settings.batch();
        StringBuilder msg = new StringBuilder(String.format(Locale.ROOT,
                "nnc: training diverged in epoch %d, step %d of the epoch (step %d of the run): %s%n", d.epoch(),
                d.stepInEpoch(), d.step(), r.reason()));
        DivergenceProbe.Finding f = null;
        if (last != null) {
            System.err.println("nnc: the loss went non-finite; replaying from the last checkpoint to find where");
            var profiled = NncCompiler.compile(source, options.profile(true));
            f = DivergenceProbe.replay(profiled, settings.config(profiled.compilation()), data, settings.threads(), last,
                    d.step());
        }
        if (f != null) {
            msg.append(String.format(Locale.ROOT, "nnc: first non-finite value: in epoch %d, step %d of the epoch "
                    + "(step %d of the run), %s%n", (f.step() - 1) / perEpoch + 1, (f.step() - 1) % perEpoch + 1,
                    f.step(), f.what()));
        }
        Map<String, String> result = result("diverged", r);
        result.put("reason", r.reason());
        result.put("first_non_finite", f == null ? "" : "step " + f.step() + ": " + f.what());
        if (last != null) {
            result.put("checkpoint", RunWeights.where(last));
            msg.append("nnc: no weights were written; the last good checkpoint (").append(RunWeights.where(last))
                    .append(") stays in ").append(Runs.display(run.file(RunFolder.CHECKPOINT))).append('\n');
            if (last.bestParams() != null) {
                WeightsFile.write(run.file(RunFolder.BEST), model.spec(), last.bestParams());
                msg.append("nnc: the best epoch's weights (epoch ").append(last.loop().bestEpoch()).append(") are in ")
                        .append(Runs.display(run.file(RunFolder.BEST))).append('\n');
            }
        }
        KeyValues.write(run.file(RunFolder.RESULT), "how the run ended", result);
        float lr = c.train().optimizer().lr();
        msg.append(String.format(Locale.ROOT, "  = hint: lower the learning rate (%s lr %s), e.g. --set lr=%s",
                c.train().optimizer().kind().name().toLowerCase(Locale.ROOT), readable(lr), readable(lr / 10)));
        System.err.println(msg);
        return Main.INPUT_ERROR;
    }

    private Map<String, String> result(String status, Trainer.Result r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("epochs", String.valueOf(r.epochs().size()));
        m.put("of", String.valueOf(settings.epochs()));
        m.put("ended", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        List<EpochResult> e = r.epochs();
        if (!e.isEmpty() && !status.startsWith("finished") && !status.equals("stopped_early")) {
            EpochResult l = e.get(e.size() - 1);
            m.put("train_loss", number(l.trainLoss()));
            m.put("train_accuracy", number(l.trainAccuracy()));
            m.put("val_loss", number(l.valLoss()));
            m.put("val_accuracy", number(l.valAccuracy()));
        }
        return m;
    }

    /** {@code test: loss=L accuracy=A}, the last line of train and evaluate. */
    static String testLine(Objective objective, Evaluation e) {
        return String.format(Locale.ROOT, "test: loss=%.4f accuracy=%s", e.loss(),
                objective == Objective.REGRESS ? "nan" : String.format(Locale.ROOT, "%.4f", e.accuracy()));
    }

    private String resumeCommand() {
        return resumeCommand(settings, run);
    }

    /** {@code ./nnc train m.nn --resume runs/M/3}. */
    static String resumeCommand(TrainSettings settings, RunFolder run) {
        return "./nnc train " + Runs.display(settings.source()) + " --resume " + run;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /**
     * A float as a person writes it, to three significant digits: 0.01, 0.25, 5, 1e-3, 2.5e-4,
     * 1e6 (not 9.999999E-4, the float nearest lr / 10).
     */
    static String readable(float v) {
        if (!Float.isFinite(v) || v == 0) {
            return Float.toString(v);
        }
        java.math.BigDecimal d = new java.math.BigDecimal(Float.toString(v)).round(new java.math.MathContext(3))
                .stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1; // of the leading digit
        if (exponent >= -2 && exponent < 6) {
            return d.toPlainString();
        }
        String mantissa = d.movePointLeft(exponent).toPlainString();
        return mantissa + "e" + exponent;
    }
}
