package nnc.compiler.cli;

import java.nio.file.Path;
import java.util.List;
import nnc.compiler.Compilation;
import nnc.compiler.data.DataLoader;
import nnc.compiler.data.FetchException;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.pass.CheckData;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.DatasetPaths;
import nnc.runtime.data.IdxDataset;

/**
 * The datasets of a train declaration as {@code train} and {@code evaluate} use them: loaded
 * (relative paths from the .nn file's folder), cut to {@code --limit}, checked against the
 * model, and split into training and validation when the declaration holds some out.
 *
 * @param val  the validation split, or null when the declaration holds none out (the test set
 *             is never watched during training: it is evaluated once, at the end)
 */
record TrainingData(Dataset train, Dataset val, Dataset test) {
    boolean hasValidation() {
        return val != null;
    }

    static TrainingData load(Compilation c, Path baseDir, List<Path> dataDirs, boolean download, Integer limit) {
        IdxDataset.Splits data;
        try {
            data = DataLoader.load(c.data(), baseDir, DatasetPaths.standard(dataDirs), download, System.err);
        } catch (FetchException e) {
            Diagnostics d = new Diagnostics(c.source());
            d.error(c.data().source().span(), e.getMessage(), e.hint());
            Frontend.report(c.source(), d, System.err);
            throw new IllegalStateException("unreachable");
        }
        Dataset train = classIndices(c, data.train());
        Dataset test = classIndices(c, data.test());
        if (limit != null) {
            train = train.slice(0, Math.min(limit, train.size()));
            test = test.slice(0, Math.min(limit, test.size()));
        }
        checkFit(c, train);
        checkFit(c, test);
        Dataset val = null;
        double split = c.train().validationSplit();
        if (split > 0) {
            int held = (int) Math.round(train.size() * split);
            val = train.slice(train.size() - held, train.size());
            train = train.slice(0, train.size() - held);
        }
        return new TrainingData(train, val, test);
    }

    /**
     * Cross-entropy takes a class index per sample or, with several target columns, a one-hot
     * row, which becomes the index of its 1.
     */
    private static Dataset classIndices(Compilation c, Dataset d) {
        if (c.objective() != nnc.runtime.model.Objective.CLASSIFY || d.targetSize() == 1) {
            return d;
        }
        try {
            return d.oneHotAsClassIndices();
        } catch (IllegalArgumentException e) {
            Diagnostics diags = new Diagnostics(c.source());
            diags.error(c.train().lossSpan(), "cross_entropy takes a class index or a one-hot row per sample, but "
                    + e.getMessage() + " in " + c.data().name(), "soft labels are not supported; give the class index "
                    + "as the one target column (targets: 1)");
            Frontend.report(c.source(), diags, System.err);
            throw new IllegalStateException("unreachable");
        }
    }

    /** The dataset's samples must fit the model input, its targets the loss. */
    private static void checkFit(Compilation c, Dataset train) {
        Diagnostics d = new Diagnostics(c.source());
        new CheckData(c.train(), c.data()).checkLoaded(c.network(), train, d);
        Frontend.report(c.source(), d, System.err);
    }
}
