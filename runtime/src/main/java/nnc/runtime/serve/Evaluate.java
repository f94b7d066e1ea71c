package nnc.runtime.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.runtime.data.CifarDataset;
import nnc.runtime.data.CsvDataset;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.DatasetPaths;
import nnc.runtime.data.IdxDataset;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Inference;
import nnc.runtime.model.NonFiniteInputException;
import nnc.runtime.model.Objective;
import nnc.runtime.model.Predictor;

/**
 * The loss and accuracy of a model on a labelled dataset, through the prediction path: raw
 * samples (pixels 0-255, CSV values) go through the model's own preprocessing, so the figures
 * test what a user of the model gets. For the dataset the model was trained on, they are the
 * figures {@code nnc train} printed for its test set.
 */
public final class Evaluate {
    private static final int BATCH = 256;

    private Evaluate() {
    }

    /** {@code loss} averaged per sample, {@code accuracy} NaN for a regression. */
    public record Result(double loss, double accuracy, int samples) {
    }

    /**
     * The test part of a dataset: a known name on the search path ({@code mnist}), a folder of
     * IDX files or CIFAR-10 batches, or a CSV file (every row; targets in its last columns).
     */
    public static Dataset testSet(String where, CompiledModel model) throws InputException {
        Path p = Path.of(where);
        try {
            if (Files.isRegularFile(p)) {
                return CsvDataset.read(p, model.spec().targetSize());
            }
            Path dir = Files.isDirectory(p) ? p
                    : DatasetPaths.standard(List.of()).find(where, d -> IdxDataset.isComplete(d)
                            || CifarDataset.locate(d) != null);
            if (dir == null) {
                throw new InputException("no dataset '" + where + "': not a file, not a folder, and not found on "
                        + "the search path (" + String.join(", ", DatasetPaths.standard(List.of()).roots().stream()
                        .map(Path::toString).toList()) + ")");
            }
            if (IdxDataset.isComplete(dir)) {
                return IdxDataset.load(dir.getFileName().toString(), dir).test();
            }
            if (CifarDataset.locate(dir) != null) {
                return CifarDataset.load(dir.getFileName().toString(), dir).test();
            }
            throw new InputException(dir + " holds neither IDX files (" + String.join(", ", IdxDataset.FILES)
                    + ") nor CIFAR-10 batches");
        } catch (IOException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** Evaluates on {@code data} (at most {@code limit} samples), {@code BATCH} samples per run on {@code exec}. */
    public static Result run(CompiledModel model, Dataset data, int limit, Exec exec) throws InputException {
        int n = Math.min(limit, data.size());
        int inputSize = model.spec().inputSize();
        if (data.sampleSize() != inputSize) {
            throw new InputException("its samples have " + data.sampleSize() + " values, but " + model.spec().name()
                    + " takes " + model.spec().inputShapeText() + " (" + inputSize + ")");
        }
        if (model.spec().objective().hasAccuracy() && model.spec().outputSize() > 1
                && data.classes() > model.spec().outputSize()) {
            throw new InputException("it has " + data.classes() + " classes, but " + model.spec().name() + " outputs "
                    + model.spec().outputSize());
        }
        checkTargets(model, data, n);
        Predictor p = model.newPredictor(exec, Math.max(1, Math.min(BATCH, n)));
        float[] raw = new float[p.capacity() * inputSize];
        float[] targets = new float[p.capacity() * model.spec().targetSize()];
        Dataset unscaled = data.unscaled();
        double loss = 0;
        double correct = 0;
        for (int from = 0; from < n; from += p.capacity()) {
            int rows = Math.min(p.capacity(), n - from);
            unscaled.copyBatch(null, from, rows, raw, 0, targets, 0, false, null);
            Inference inf;
            try {
                inf = p.runRaw(raw, 0, rows);
            } catch (NonFiniteInputException e) {
                throw new InputException("sample " + (from + e.sample() + 1) + ": " + e.withoutSample());
            }
            if (inf.targetOffset() < 0) {
                throw new InputException(model.spec().name() + " has no loss (no train declaration) to evaluate");
            }
            System.arraycopy(targets, 0, inf.arena(), inf.targetOffset(), rows * model.spec().targetSize());
            float[] s = inf.loss(rows);
            loss += s[0];
            correct += s[1];
        }
        return new Result(loss / n, model.spec().objective().hasAccuracy() ? correct / n : Double.NaN, n);
    }

    /** Targets the model's loss cannot score (a class 5 of a yes/no model, say) are refused, naming the first. */
    private static void checkTargets(CompiledModel model, Dataset data, int n) throws InputException {
        Objective objective = model.spec().objective();
        int classes = objective == Objective.CLASSIFY ? model.spec().outputSize() : Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < data.targetSize(); j++) {
                float t = data.target(i, j);
                String wrong = objective.targetProblem(t);
                if (wrong == null && t >= classes) {
                    wrong = "class indices below " + classes;
                }
                if (wrong != null) {
                    throw new InputException(model.spec().name() + " needs " + wrong + ", but sample " + (i + 1)
                            + " has target " + t);
                }
            }
        }
    }
}
