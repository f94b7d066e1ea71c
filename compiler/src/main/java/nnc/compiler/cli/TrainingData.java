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
 * @param val the validation split, or the test set itself when there is none
 */
record TrainingData(Dataset train, Dataset val, Dataset test) {
    boolean validatesOnTest() {
        return val == test;
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
        Dataset train = data.train();
        Dataset test = data.test();
        if (limit != null) {
            train = train.slice(0, Math.min(limit, train.size()));
            test = test.slice(0, Math.min(limit, test.size()));
        }
        checkFit(c, train);
        checkFit(c, test);
        Dataset val = test;
        double split = c.train().validationSplit();
        if (split > 0) {
            int held = (int) Math.round(train.size() * split);
            val = train.slice(train.size() - held, train.size());
            train = train.slice(0, train.size() - held);
        }
        return new TrainingData(train, val, test);
    }

    /** The dataset's samples must fit the model input, its targets the loss. */
    private static void checkFit(Compilation c, Dataset train) {
        Diagnostics d = new Diagnostics(c.source());
        new CheckData(c.train(), c.data()).checkLoaded(c.network(), train, d);
        Frontend.report(c.source(), d, System.err);
    }
}
