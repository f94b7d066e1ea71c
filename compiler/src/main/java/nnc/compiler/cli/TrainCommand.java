package nnc.compiler.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.plot.CurvesFile;
import nnc.compiler.pass.TrainSpec;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.Runs;
import nnc.runtime.exec.Exec;
import nnc.runtime.io.CheckpointFile;
import nnc.compiler.runs.MetricsCsv;
import nnc.runtime.io.WeightsFile;
import nnc.runtime.kernels.Kernels;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.Trainer;
import nnc.runtime.train.WarmUp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc train FILE}: compile, load the data, train in a new run folder with checkpoints,
 * evaluate on the test set. {@code --resume RUN} continues a run from its last checkpoint.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model as its train declaration says, then evaluate it on the test set.",
            "Each run gets a folder of its own, runs/MODEL/N next to FILE, and",
            "runs/MODEL/latest is the newest: weights, checkpoints, metrics.csv and the",
            "settings; nothing of an earlier run is overwritten. Ctrl-C stops after the",
            "current step with a checkpoint; --resume RUN continues it to the same bits on",
            "the same thread count. The last line is 'test: loss=L accuracy=A'."},
        footer = {"", "Exit codes: 0 trained, 1 an error in the input or the run diverged,",
            "2 usage error, 130 interrupted (resumable)."})
final class TrainCommand implements Callable<Integer> {
    /** The most a warm-up may take; it usually settles well before (WarmUp). */
    static final double WARM_UP_SECONDS = 15;

    @Parameters(paramLabel = "FILE", arity = "0..1",
            description = "The .nn file (with --resume it may be left out: the run's own copy is compiled).")
    Path file;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the number of epochs (>= 1).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Override the batch size.")
    Integer batch;

    @Option(names = "--seed", paramLabel = "N", description = "Override the seed.")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: a new runs/MODEL/N next to FILE). "
        + "A folder that holds a run is refused unless --overwrite.")
    Path out;

    @Option(names = "--overwrite", description = "Let --out replace the run already in DIR.")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in folder RUN from its last checkpoint, "
        + "with its settings and thread count.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Also checkpoint every N steps (default: after "
        + "every epoch only).")
    Integer checkpointEvery;

    @Option(names = "--profile", description = "After training, time each fused kernel over steady-state steps "
        + "and report heap bytes allocated per training step.")
    boolean profile;

    @Option(names = "--no-warm-up", description = "Skip the warm-up steps before the first epoch (they let C2 "
        + "compile the kernels, so the first epoch runs as fast as the others; printed, never counted as training).")
    boolean noWarmUp;

    @Option(names = "--spark", paramLabel = "MASTER", description = {"Train on Apache Spark by synchronous data parallelism.",
        "MASTER: local[4] or spark://host:7077, say.",
        "Needs the nnc-spark module, which the nnc launcher adds; see docs/spark.md."})
    String spark;

    @Mixin
    DataOptions dataOpts = new DataOptions();

    @Mixin
    CompileOptions options = new CompileOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        if (spark != null) {
            return SparkBridge.train(command.commandLine().getParseResult().originalArgs());
        }
        checkUsage();
        try {
            return train();
        } catch (IOException e) {
            throw new UserError("nnc: " + describe(e));
        }
    }

    private void checkUsage() {
        if (file == null && resume == null) {
            usage("a .nn file is required (or --resume RUN)");
        }
        // OptionRules has bounded every number already; these two are 0s it lets through (Spark's
        // --checkpoint-every 0 means "every epoch only").
        if (epochs != null && epochs == 0) {
            usage("--epochs 0 would train nothing; to measure a trained model use 'nnc evaluate FILE'");
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            usage("--checkpoint-every must be >= 1 step (checkpoints at epoch ends only, 0, is a setting of nnc-spark)");
        }
        if (overwrite && out == null) {
            usage("--overwrite applies to --out DIR only (runs/MODEL/N folders are never overwritten)");
        }
        if (resume != null) {
            List<String> given = new ArrayList<>();
            for (Object[] o : new Object[][] {{"--epochs", epochs}, {"--batch", batch}, {"--seed", seed},
                {"--limit", dataOpts.limit}, {"--out", out}, {"--checkpoint-every", checkpointEvery}, {"--model", options.model},
                {"--no-fuse", options.noFuse ? true : null}, {"--set", options.set.isEmpty() ? null : true}}) {
                if (o[1] != null) {
                    given.add((String) o[0]);
                }
            }
            if (!given.isEmpty()) {
                usage("--resume continues a run with the settings it started with (RUN/" + RunFolder.SETTINGS
                        + "); leave out " + String.join(", ", given));
            }
        }
    }

    private void usage(String message) {
        throw new CommandLine.ParameterException(command.commandLine(), message);
    }

    private Integer train() throws IOException {
        long t0 = System.nanoTime();
        RunFolder run = null;
        TrainSettings s = null;
        SourceFile src;
        if (resume != null) {
            run = RunFolder.at(resume);
            if (!Files.isDirectory(resume)) {
                throw new UserError("nnc: " + resume + ": no such run folder");
            }
            s = resumedSettings(run);
            src = new SourceFile(s.source().toString(), Frontend.read(run.file(RunFolder.SOURCE)).text());
        } else {
            src = Frontend.read(file);
        }
        if (s != null) {
            options.set = new ArrayList<>(s.set());
        }
        // a resumed run's settings were checked when it started
        NncCompiler.Options compile = (s == null ? options.compiler(src) : options.compiler())
                .model(s == null ? options.model : s.model()).fuse(s == null ? !options.noFuse : s.fuse());
        CompileResult r = Frontend.compile(src, compile.profile(profile), System.err);
        Compilation c = r.compilation();
        options.dumps(c, System.out);
        if (c.train() == null) {
            throw new UserError("nnc: " + src.path() + " has no train declaration for " + c.modelName()
                    + "\n  = hint: add one: train " + c.modelName() + " on DATA { loss cross_entropy ... }");
        }
        if (s == null) {
            TrainSpec spec = c.train();
            s = new TrainSettings(c.modelName(), file, epochs != null ? epochs : spec.epochs(),
                    batch != null ? batch : spec.batch(), seed != null ? seed : spec.seed(), dataOpts.limit, !options.noFuse,
                    List.copyOf(options.set),
                    dataOpts.threads != null ? dataOpts.threads : Runtime.getRuntime().availableProcessors(),
                    checkpointEvery != null ? checkpointEvery : 0, List.copyOf(dataOpts.dirs), !dataOpts.noDownload);
        }
        TrainingData data = TrainingData.load(c, s.source().toAbsolutePath().getParent(), s.dataDirs(), s.download(),
                s.limit());
        CompiledModel model = r.newModel();
        // the batch (perhaps --batch) must fit the arena before a run folder is made for it
        nnc.runtime.model.ArenaTooLargeException.arenaFloats("training", c.trainPlan().floatsPerSample(), s.batch(),
                c.trainPlan().fixedFloats());
        if (run == null) {
            run = newRun(c, s);
        }
        try (RunFolder.Lock lock = lockOrFail(run)) {
            Checkpoint from = null;
            if (resume != null) {
                from = checkpointToResume(run, s, model, data);
                Files.deleteIfExists(run.file(RunFolder.RESULT)); // running again: the interruption is over
            } else {
                prepare(run, c, s, src, model, data);
            }
            model.initialize(s.seed());
            try (Exec exec = Exec.threads(s.threads()); Interrupts interrupts = Interrupts.install(System.err,
                    "resume with: " + RunEnd.resumeCommand(s, run))) {
                Training training = model.newTraining(exec, s.batch(), s.seed(), c.train().optimizer().lr());
                System.err.printf(Locale.ROOT, "nnc: %s: %,d parameters, %d training kernels (%s), compiled in %.1f s; "
                                + "%s kernels on %d thread%s%n", c.modelName(), c.params().total(),
                        c.trainPlan().schedule().emitted().size(), c.fused() ? "fused" : "unfused",
                        (System.nanoTime() - t0) / 1e9, Kernels.backend().name(), exec.threads(),
                        exec.threads() == 1 ? "" : "s");
                System.err.printf(Locale.ROOT, "nnc: %s: %,d training samples, %s; %,d test samples, evaluated once at "
                        + "the end; batch %d, %d epochs%n", c.data().name(), data.train().size(), data.hasValidation()
                        ? String.format(Locale.ROOT, "%,d validation samples", data.val().size())
                        : "no validation set", data.test().size(), s.batch(), s.epochs());
                System.err.println("nnc: " + (from == null ? "run folder " : "resuming ") + run
                        + (from == null ? "" : " " + nnc.compiler.runs.RunWeights.where(from)));
                MetricsCsv csv = new MetricsCsv(run.file(RunFolder.METRICS), from == null ? List.of() : from.history());
                RunEnd end = new RunEnd(run, s, src, compile, c, model, training, data);
                CurvesFile curves = new CurvesFile(run.file(RunFolder.CURVES), c.modelName() + " " + run.dir()
                        .getFileName(), from == null ? List.of() : from.history());
                Trainer trainer = new Trainer(model, training, s.config(c),
                        Progress.all(new Progress(System.err, Progress.interactive()), csv, curves))
                        .checkpoints(end::checkpoint, s.checkpointEvery()).stopWhen(interrupts::requested);
                if (from != null) {
                    trainer.resumeFrom(from);
                    end.resumedFrom(from);
                }
                if (!noWarmUp) {
                    WarmUp.Result w = WarmUp.run(training, data.train(), model, data.val(), WARM_UP_SECONDS,
                            interrupts::requested);
                    System.err.printf(Locale.ROOT, "nnc: warm-up: %d steps on the first batch%s in %.1f s%s, not counted "
                            + "as training; the model is as it was before%n", w.steps(),
                            w.evaluations() > 0 ? " and validation" : "", w.seconds(),
                            w.settled() ? "" : interrupts.requested() ? " (stopped)" : " (time limit)");
                }
                try {
                    Trainer.Result result = trainer.run(data.train(), data.val());
                    if (result.outcome() != Trainer.Outcome.INTERRUPTED) {
                        interrupts.tooLateToStop("the training has ended; the run is writing its results",
                                "the training ended before it could stop; the run is writing its results");
                    }
                    if (csv.failure() != null) {
                        System.err.println("nnc: warning: cannot write metrics: " + csv.failure().getMessage());
                    }
                    if (curves.failure() != null) {
                        System.err.println("nnc: warning: cannot draw " + RunFolder.CURVES + ": " + curves.failure());
                    }
                    return end.finish(result, trainer, profile);
                } catch (IOException e) {
                    throw end.failed(e); // a checkpoint, the weights or the result could not be written
                }
            }
        }
    }

    private TrainSettings resumedSettings(RunFolder run) throws IOException {
        Map<String, String> props;
        try {
            props = run.settings();
        } catch (IOException e) {
            throw new UserError("nnc: " + e.getMessage());
        }
        TrainSettings s;
        try {
            s = TrainSettings.of(props);
        } catch (IOException e) {
            throw new UserError("nnc: " + run.file(RunFolder.SETTINGS) + ": " + e.getMessage());
        }
        if (!run.exists(RunFolder.SOURCE)) {
            throw new UserError("nnc: " + run + " has no " + RunFolder.SOURCE + "; it cannot be resumed");
        }
        if (file != null && !sha256(Frontend.read(file).text()).equals(props.get("source_sha256"))) {
            System.err.println("nnc: note: " + file + " is not the source " + run + " started from; resuming with "
                    + "its own copy, " + Runs.display(run.file(RunFolder.SOURCE)));
        }
        if (dataOpts.threads != null && dataOpts.threads != s.threads()) {
            System.err.println("nnc: warning: " + run + " ran on " + s.threads() + " threads; on " + dataOpts.threads
                    + " the resumed steps round differently and the result will not be bit-identical");
        }
        return new TrainSettings(s.model(), s.source(), s.epochs(), s.batch(), s.seed(), s.limit(), s.fuse(), s.set(),
                dataOpts.threads != null ? dataOpts.threads : s.threads(), s.checkpointEvery(),
                dataOpts.dirs.isEmpty() ? s.dataDirs() : List.copyOf(dataOpts.dirs), !dataOpts.noDownload && s.download());
    }

    /** A new numbered run folder, or --out: empty or new, or holding a run and --overwrite. */
    private RunFolder newRun(Compilation c, TrainSettings s) throws IOException {
        if (out == null) {
            Path models = Runs.modelFolder(s.source(), c.modelName());
            try {
                return Runs.createNext(models);
            } catch (IOException e) {
                throw new UserError("nnc: cannot create a run folder in " + Runs.display(models) + ": " + describe(e)
                        + "\n  = hint: pass --out DIR to train somewhere else");
            }
        }
        RunFolder run = RunFolder.at(out);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("nnc: --out " + out + " is a file, not a folder");
        }
        if (run.holdsOtherFiles()) {
            throw new UserError("nnc: --out " + out + " holds files that nnc did not write; give an empty or new folder");
        }
        if (run.holdsRun() && !overwrite) {
            throw new UserError("nnc: --out " + out + " already holds a run; pass --overwrite to replace it, or give "
                    + "another folder");
        }
        Files.createDirectories(out);
        return run;
    }

    private static RunFolder.Lock lockOrFail(RunFolder run) {
        try {
            return run.lock();
        } catch (IOException e) {
            throw new UserError("nnc: " + e.getMessage());
        }
    }

    /** Clears an overwritten --out folder, then writes the settings and the source copy. */
    private static void prepare(RunFolder run, Compilation c, TrainSettings s, SourceFile src, CompiledModel model,
                                TrainingData data) throws IOException {
        run.clear();
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        nnc.compiler.runs.KeyValues.write(run.file(RunFolder.SETTINGS), "nnc run settings, as resolved when it started",
                s.properties(c, model.spec().fingerprint(), sha256(src.text()), started, data));
        nnc.runtime.io.AtomicFile.write(run.file(RunFolder.SOURCE), src.text().getBytes(StandardCharsets.UTF_8));
    }

    private static Checkpoint checkpointToResume(RunFolder run, TrainSettings s, CompiledModel model, TrainingData data)
            throws IOException {
        // nnc keeps one checkpoint: without it the run can only start again, with the settings it had
        java.util.function.Supplier<String> restart = () -> "\n  = hint: to train it again from the start, with its "
                + "settings: " + s.restartCommand(run) + changedSource(run, s);  // read only when a resume fails
        if (!run.exists(RunFolder.CHECKPOINT)) {
            throw new UserError("nnc: " + run + " has no checkpoint: it stopped before its first one; start a new run"
                    + restart.get());
        }
        Checkpoint ck;
        try {
            ck = CheckpointFile.read(run.file(RunFolder.CHECKPOINT), model.spec());
        } catch (WeightsFile.FormatException e) {
            throw new UserError("nnc: cannot resume: " + e.getMessage() + restart.get());
        }
        if (ck.loop().order().length != data.train().size()) {
            throw new UserError("nnc: cannot resume " + run + ": it trained on " + ck.loop().order().length
                    + " samples, the data now has " + data.train().size() + " (has the dataset changed?)");
        }
        if (run.exists(RunFolder.RESULT) && !"interrupted".equals(run.result().get("status"))) {
            throw new UserError("nnc: " + run + " has ended (" + run.result().get("status") + "); nothing to resume");
        }
        return ck;
    }

    /** An I/O failure as the user should read it: {@code /proc/x: permission denied}, not the bare path. */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
            String why = f.getReason() != null ? f.getReason()
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : e.getClass().getSimpleName();
            return f.getFile() + ": " + why;
        }
        return e.getMessage();
    }

    /** A note when the run's .nn file is no longer what the run trained: the restart would train the file as it is. */
    private static String changedSource(RunFolder run, TrainSettings s) {
        try {
            if (sha256(Frontend.read(s.source()).text()).equals(run.settings().get("source_sha256"))) {
                return "";
            }
        } catch (IOException | UserError e) {
            // gone or unreadable: the note below says what the run trained
        }
        return "\n  = note: " + Runs.display(s.source()) + " is not the source this run started from, which is "
                + Runs.display(run.file(RunFolder.SOURCE)) + " (--overwrite deletes it): copy it back to train the same model";
    }

    static String sha256(String text) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("internal error: no SHA-256", e);
        }
    }
}
