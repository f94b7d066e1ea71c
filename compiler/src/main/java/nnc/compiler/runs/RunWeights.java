package nnc.compiler.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import nnc.runtime.io.CheckpointFile;
import nnc.runtime.io.WeightsFile;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.train.Checkpoint;

/**
 * The weights of one run: its {@code weights.nnw}, or for a run that did not finish, its last
 * checkpoint's parameters.
 *
 * @param run         the run folder, or null for a file the user named
 * @param description what to tell the user, e.g.
 *                    {@code weights from runs/MnistMlp/3 (epoch 20, val_accuracy 0.9847)}
 */
public record RunWeights(RunFolder run, Path file, boolean fromCheckpoint, String description) {

    /** A weights file named by the user ({@code --weights FILE}); a {@code .nnck} is read as a checkpoint. */
    public static RunWeights file(Path weights) {
        return new RunWeights(null, weights, weights.getFileName().toString().endsWith(".nnck"), "weights from " + weights);
    }

    /** The weights of {@code run}: {@code weights.nnw}, else the checkpoint; an error when it has neither. */
    public static RunWeights of(RunFolder run) throws IOException {
        Map<String, String> settings = run.settings(); // not a run folder: say so
        Map<String, String> result = run.result();
        if (run.exists(RunFolder.WEIGHTS)) {
            String epoch = result.get("weights_epoch");
            String metric = metric(result);
            String what = (epoch == null ? "" : "epoch " + epoch) + (metric.isEmpty() || epoch == null ? "" : ", ")
                    + metric;
            return new RunWeights(run, run.file(RunFolder.WEIGHTS), false,
                    "weights from " + run + (what.isEmpty() ? "" : " (" + what + ")"));
        }
        if (run.exists(RunFolder.CHECKPOINT)) {
            Checkpoint c = CheckpointFile.read(run.file(RunFolder.CHECKPOINT), null);
            if (c.training().steps() == 0) {
                throw new Untrained(run, settings, result.getOrDefault("status", "unfinished"));
            }
            return new RunWeights(run, run.file(RunFolder.CHECKPOINT), true, "weights from the last checkpoint of "
                    + run + " (" + result.getOrDefault("status", "unfinished") + " run, " + where(c) + ")");
        }
        throw new IOException(run + " has no weights: it stopped before its first checkpoint");
    }

    /**
     * A run whose only weights are a checkpoint taken before its first step: the initial
     * weights, never used for a prediction. The message names the run and says how to go on.
     */
    public static final class Untrained extends IOException {
        private final transient RunFolder run;

        Untrained(RunFolder run, Map<String, String> settings, String status) {
            super(run + " has no trained weights: it stopped before its first training step (" + status
                    + "), so its checkpoint holds the initial weights\n  = hint: resume it with ./nnc train "
                    + Runs.display(Path.of(settings.getOrDefault("source_path", settings.get("source"))))
                    + " --resume " + run + ", or pick another run with --run RUN (./nnc runs "
                    + Runs.display(Path.of(settings.getOrDefault("source_path", settings.get("source")))) + " lists them)");
            this.run = run;
        }

        public RunFolder run() {
            return run;
        }
    }

    private static String metric(Map<String, String> result) {
        for (String k : new String[] {"val_accuracy", "val_loss", "test_accuracy", "test_loss"}) {
            String v = result.get(k);
            if (v != null && !v.isEmpty()) {
                try {
                    return k + " " + String.format(java.util.Locale.ROOT, "%.4f", Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    return k + " " + v;
                }
            }
        }
        return "";
    }

    /**
     * Loads the weights into {@code model}. Weights of another model (another fingerprint) are
     * refused naming both, unless {@code force} and every tensor's shape matches.
     */
    public void loadInto(CompiledModel model, boolean force) throws IOException {
        if (!fromCheckpoint) {
            try {
                WeightsFile.read(file, model.spec(), model.params, force);
            } finally {
                model.paramsChanged();
            }
            return;
        }
        Checkpoint c = CheckpointFile.read(file, force ? null : model.spec());
        if (c.training().steps() == 0) {
            throw new IOException(file + " was taken before the first training step: it holds the initial weights, "
                    + "not trained ones");
        }
        float[] p = c.training().params();
        if (p.length != model.params.length) {
            throw new WeightsFile.FormatException(file + ": the checkpoint holds " + p.length + " parameters of "
                    + c.model() + ", " + model.spec().name() + " has " + model.params.length);
        }
        System.arraycopy(p, 0, model.params, 0, p.length);
        model.paramsChanged();
    }

    /** {@code after epoch 3, step 141 of the run} or {@code in epoch 4, at step 150 of the run}. */
    public static String where(Checkpoint c) {
        if (c.training().steps() == 0) {
            return "before the first step";
        }
        return (c.loop().position() == 0 ? "after epoch " + c.epoch() + ", " : "in epoch " + (c.epoch() + 1) + ", at ")
                + "step " + c.training().steps() + " of the run";
    }
}
