package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.data.DataLoader;
import nnc.compiler.data.FetchException;
import nnc.compiler.diag.Diagnostics;
import nnc.compiler.pass.CheckData;
import nnc.compiler.pass.TrainSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.DatasetPaths;
import nnc.runtime.data.IdxDataset;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Kernels;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Objective;
import nnc.runtime.model.Training;
import nnc.runtime.train.EpochResult;
import nnc.runtime.train.Evaluation;
import nnc.runtime.train.MetricsCsv;
import nnc.runtime.train.TrainConfig;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc train FILE}: compile, load the data, train, evaluate on the test set. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model as its train declaration says, then evaluate it on the test set.",
            "The last line is 'test: loss=L accuracy=A'."})
final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the number of epochs.")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Override the batch size.")
    Integer batch;

    @Option(names = "--seed", paramLabel = "N", description = "Override the seed.")
    Long seed;

    @Option(names = "--data", paramLabel = "DIR", description = "A folder to look for datasets in first (repeatable).")
    List<Path> dataDirs = new ArrayList<>();

    @Option(names = "--no-download", description = "Do not fetch a missing dataset.")
    boolean noDownload;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training and N test samples (quick runs).")
    Integer limit;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write weights and metrics (default: out/MODEL).")
    Path out;

    @Option(names = "--metrics", paramLabel = "CSV", description = "The per-epoch metrics file (default: OUT/metrics.csv).")
    Path metrics;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the kernels (default: all cores).")
    Integer threads;

    @Option(names = "--profile", description = "After training, time each fused kernel over steady-state steps "
        + "and report heap bytes allocated per training step.")
    boolean profile;

    @Mixin
    CompileOptions options = new CompileOptions();

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        CompileResult r = Frontend.compile(file, options.compiler().profile(profile), System.err);
        Compilation c = r.compilation();
        options.dumps(c, System.out);
        if (c.train() == null) {
            throw new UserError("nnc: " + file + " has no train declaration for " + c.modelName()
                    + "\n  = hint: add one: train " + c.modelName() + " on DATA { loss cross_entropy ... }");
        }
        TrainSpec spec = c.train();
        int epochCount = epochs != null ? epochs : spec.epochs();
        int batchSize = batch != null ? batch : spec.batch();
        long seedValue = seed != null ? seed : spec.seed();
        if (epochCount < 0 || batchSize < 1 || (threads != null && threads < 1) || (limit != null && limit < 1)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--epochs must be >= 0; --batch, --threads and --limit must be >= 1");
        }

        Path baseDir = file.toAbsolutePath().getParent();
        IdxDataset.Splits data = loadData(c, baseDir);
        Dataset train = data.train();
        Dataset test = data.test();
        if (limit != null) {
            train = train.slice(0, Math.min(limit, train.size()));
            test = test.slice(0, Math.min(limit, test.size()));
        }
        checkFit(c, train);
        checkFit(c, test);
        Dataset val = test;
        if (spec.validationSplit() > 0) {
            int held = (int) Math.round(train.size() * spec.validationSplit());
            val = train.slice(train.size() - held, train.size());
            train = train.slice(0, train.size() - held);
        }

        CompiledModel model = r.newModel();
        model.initialize(seedValue);
        Path outDir = out != null ? out : Path.of("out", c.modelName());
        Path weights = outDir.resolve(c.modelName() + ".nnw");
        MetricsCsv csv = new MetricsCsv(metrics != null ? metrics : outDir.resolve("metrics.csv"));

        try (Exec exec = threads != null ? Exec.threads(threads) : Exec.allCores()) {
            Training training = model.newTraining(exec, batchSize, seedValue, spec.optimizer().lr());
            System.err.printf(Locale.ROOT, "nnc: %s: %,d parameters, %d training kernels (%s), compiled in %.1f s; "
                            + "%s kernels on %d thread%s%n", c.modelName(), c.params().total(),
                    c.trainPlan().schedule().kernels().size(), c.fused() ? "fused" : "unfused",
                    (System.nanoTime() - t0) / 1e9, Kernels.backend().name(), exec.threads(), exec.threads() == 1 ? "" : "s");
            System.err.printf(Locale.ROOT, "nnc: %s: %,d training samples, %,d %s samples, batch %d, %d epochs%n",
                    c.data().name(), train.size(), val.size(), val == test ? "test" : "validation", batchSize, epochCount);
            TrainConfig config = new TrainConfig(epochCount, batchSize, spec.shuffle(), seedValue,
                    spec.validationSplit(), spec.optimizer().lr(), spec.schedule(), spec.stop(), c.data().augments());
            TrainListener checkpoint = new TrainListener() {
                @Override
                public void epochEnd(EpochResult r) {
                    try {
                        model.save(weights);
                    } catch (IOException e) {
                        System.err.println("nnc: warning: cannot save " + weights + ": " + e.getMessage());
                    }
                }
            };
            Progress progress = new Progress(System.err, Progress.interactive());
            List<EpochResult> results = new Trainer(model, training, config, all(progress, csv, checkpoint)).fit(train, val);
            if (csv.failure() != null) {
                System.err.println("nnc: warning: cannot write metrics: " + csv.failure().getMessage());
            }
            model.save(weights);
            if (profile) {
                nnc.compiler.measure.StepProfiler.Profile p = nnc.compiler.measure.StepProfiler.measure(training, train, 200,
                        exec.workerThreadIds());
                System.err.print(p.render());
            }
            Evaluation e = Trainer.evaluate(model, training, test);
            if (!results.isEmpty()) {
                double[] secs = results.stream().mapToDouble(EpochResult::seconds).sorted().toArray();
                System.err.printf(Locale.ROOT, "nnc: median epoch %.2f s; weights in %s, metrics in %s%n",
                        secs[secs.length / 2], weights, metrics != null ? metrics : outDir.resolve("metrics.csv"));
            }
            System.out.printf(Locale.ROOT, "test: loss=%.4f accuracy=%s%n", e.loss(),
                    c.objective() == Objective.REGRESS ? "nan" : String.format(Locale.ROOT, "%.4f", e.accuracy()));
        }
        return Main.OK;
    }

    private IdxDataset.Splits loadData(Compilation c, Path baseDir) {
        try {
            return DataLoader.load(c.data(), baseDir, DatasetPaths.standard(dataDirs), !noDownload, System.err);
        } catch (FetchException e) {
            Diagnostics d = new Diagnostics(c.source());
            d.error(c.data().source().span(), e.getMessage(), e.hint());
            Frontend.report(c.source(), d, System.err);
            throw new IllegalStateException("unreachable");
        }
    }

    /** The dataset's samples must fit the model input, its targets the loss. */
    private static void checkFit(Compilation c, Dataset train) {
        Diagnostics d = new Diagnostics(c.source());
        new CheckData(c.train(), c.data()).checkLoaded(c.network(), train, d);
        Frontend.report(c.source(), d, System.err);
    }

    private static TrainListener all(TrainListener... ls) {
        return new TrainListener() {
            @Override
            public void epochStart(int epoch, int epochs, long samples, float lr) {
                for (TrainListener l : ls) {
                    l.epochStart(epoch, epochs, samples, lr);
                }
            }

            @Override
            public void batchEnd(long done, double meanLoss) {
                for (TrainListener l : ls) {
                    l.batchEnd(done, meanLoss);
                }
            }

            @Override
            public void epochEnd(EpochResult r) {
                for (TrainListener l : ls) {
                    l.epochEnd(r);
                }
            }

            @Override
            public void stoppedEarly(int epoch, String reason) {
                for (TrainListener l : ls) {
                    l.stoppedEarly(epoch, reason);
                }
            }
        };
    }
}
