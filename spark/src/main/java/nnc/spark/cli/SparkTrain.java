package nnc.spark.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.cli.UserError;
import nnc.compiler.runs.KeyValues;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.Runs;
import nnc.runtime.exec.Exec;
import nnc.runtime.io.AtomicFile;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.train.Evaluation;
import nnc.runtime.train.TrainConfig;
import nnc.runtime.train.Trainer;
import nnc.spark.FitResult;
import nnc.spark.FitSpec;
import nnc.spark.NncSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc train FILE --spark MASTER} (the launcher routes it here when {@code --spark} is
 * given), and the class a {@code spark-submit} runs: synchronous data-parallel training of a
 * {@code .nn} model on Spark, into a run folder like {@code nnc train}'s, then the test figures.
 */
@Command(name = "nnc train --spark", mixinStandardHelpOptions = true,
        description = {"Train a model on Apache Spark by synchronous data parallelism: each step",
            "every partition computes the gradient of its share of the global batch, the",
            "driver adds them in partition order and applies the optimizer. The steps are",
            "those of 'nnc train' (same batches, same update code) up to float rounding of",
            "the gradient sum. Writes runs/MODEL/N like 'nnc train'; see docs/spark.md."},
        footer = {"", "Exit codes: 0 trained, 1 an error in the input, 2 usage error."})
public final class SparkTrain implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The .nn file (with --resume: the run's own copy).")
    Path file;

    @Option(names = "--spark", paramLabel = "MASTER", description = "The Spark master: local[4], spark://host:7077, "
        + "yarn ... (default: what spark-submit gives).")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the training data (default: "
        + "Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--epochs", paramLabel = "N", description = "Override the number of epochs.")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Override the global batch size.")
    Integer batch;

    @Option(names = "--seed", paramLabel = "N", description = "Override the seed.")
    Long seed;

    @Option(names = "--steps", paramLabel = "N", description = "Stop after N steps in all (a checkpoint; --resume goes on).")
    Long steps;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Also checkpoint every N steps (default: "
        + "after every epoch).")
    int checkpointEvery;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: a new runs/MODEL/N).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in RUN from its checkpoint.")
    Path resume;

    @Option(names = "--data", paramLabel = "PATH", description = "Train on this instead of the file's data: "
        + "Parquet (a folder or *.parquet), CSV (*.csv, with a header) or an IDX folder.")
    String data;

    @Option(names = "--input", paramLabel = "COL", description = "With --data: the input column of Parquet (an array, "
        + "an ML vector or image bytes; default: input). CSV inputs are every column but the label.")
    String inputCol = "input";

    @Option(names = "--label", paramLabel = "COL", description = "With --data: the target column (default: label).")
    String labelCol = "label";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    /** The master URLs Spark accepts, by form (Spark checks the rest when it starts). */
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local(\\[(\\d+|\\*)(,\\d+)?])?|local-cluster\\[\\d+,\\d+,\\d+]|spark://\\S+|yarn|k8s://\\S+");

    static boolean isMasterUrl(String master) {
        return MASTER.matcher(master).matches();
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; the exit code. {@code nnc train --spark} calls this (by name: nnc does not depend on Spark). */
    public static int run(String[] args) {
        CommandLine cl = new CommandLine(new SparkTrain());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError || e instanceof IllegalArgumentException) {
                System.err.println(e instanceof UserError ? e.getMessage() : "nnc: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (file == null && resume == null) {
            throw new CommandLine.ParameterException(command.commandLine(), "a .nn file is required (or --resume RUN)");
        }
        if (master != null && !isMasterUrl(master)) {
            throw new CommandLine.ParameterException(command.commandLine(), "--spark: '" + master
                    + "' is not a Spark master URL: local, local[N], local[*], local[N,F], local-cluster[N,C,MB], "
                    + "spark://HOST:PORT, yarn or k8s://HOST:PORT");
        }
        PrintStream err = System.err;
        RunFolder run = resume != null ? RunFolder.at(resume) : null;
        Path source = run != null ? run.file(RunFolder.SOURCE) : file;
        if (!Files.isRegularFile(source)) {
            throw new UserError("nnc: " + source + ": no such file");
        }
        String text = Files.readString(source, StandardCharsets.UTF_8);
        CompileResult r = NncCompiler.compile(source.getFileName().toString(), text, NncCompiler.Options.defaults());
        if (!r.ok()) {
            err.print(r.render());
            return 1;
        }
        Compilation c = r.compilation();
        TrainConfig config = FitSpec.config(c);
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        if (batch != null) {
            config = config.withBatch(batch);
        }
        if (seed != null) {
            config = config.withSeed(seed);
        }
        if (run == null) {
            run = out != null ? RunFolder.at(Files.createDirectories(out))
                    : Runs.createNext(Runs.modelFolder(file.toAbsolutePath(), c.modelName()));
            if (run.exists(RunFolder.SETTINGS)) {
                throw new UserError("nnc: " + run + " already holds a run; give an empty folder");
            }
            writeSettings(run, c, config, text);
        }
        SparkSession.Builder b = SparkSession.builder().appName("nnc " + c.modelName());
        if (master != null) {
            b = b.master(master);
        }
        SparkSession spark;
        try {
            spark = b.getOrCreate();
        } catch (RuntimeException e) {
            throw new UserError("nnc: Spark did not start" + (master == null ? "" : " with master " + master) + ": "
                    + e.getMessage() + "\n  = hint: the run folder is as it was; once Spark runs, continue with: nnc train "
                    + "--resume " + run + (master == null ? "" : " --spark " + master));
        }
        spark.sparkContext().setLogLevel("WARN");
        try {
            Path base = source.toAbsolutePath().getParent();
            TrainingFrames frames = data != null
                    ? TrainingFrames.read(spark, data, inputCol, labelCol, c, base)
                    : TrainingFrames.declared(spark, c, base);
            int p = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
            Dataset<Row> train = frames.train().repartition(p);
            CompiledModel model = r.newModel();
            model.initialize(config.seed());
            err.printf(Locale.ROOT, "nnc: %s: %,d parameters; %,d training samples on %d partitions (%s), batch %d, "
                    + "%d epochs%n", c.modelName(), model.spec().paramCount(), frames.size(), p,
                    spark.sparkContext().master(), config.batch(), config.epochs());
            err.println("nnc: run folder " + run);
            FitSpec spec = new FitSpec(config, frames.inputCol(), frames.labelCol(), frames.indexCol(), steps == null ? 0 : steps,
                    run.dir(), checkpointEvery, true, null);
            long t0 = System.nanoTime();
            FitResult result = NncSpark.fit(model, train, spec);
            report(err, result, (System.nanoTime() - t0) / 1e9);
            if (!result.finished()) {
                err.println("nnc: stopped after step " + result.steps() + "; continue with: nnc train --resume " + run
                        + " --spark " + (master == null ? "MASTER" : master));
                return 0;
            }
            Evaluation test = frames.test() == null ? null
                    : Trainer.evaluate(model, Exec.sequential(), frames.test());
            Map<String, String> res = new LinkedHashMap<>();
            res.put("status", "finished");
            res.put("epochs", result.epochs().size() + " of " + config.epochs());
            res.put("train_loss", String.valueOf(result.epochs().get(result.epochs().size() - 1).trainLoss()));
            if (test != null) {
                res.put("test_loss", String.valueOf(test.loss()));
                res.put("test_accuracy", String.valueOf(test.accuracy()));
            }
            KeyValues.write(run.file(RunFolder.RESULT), "how the run ended", res);
            if (test != null) {
                System.out.printf(Locale.ROOT, "test: loss=%.4f accuracy=%.4f%n", test.loss(), test.accuracy());
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    private static void report(PrintStream err, FitResult r, double seconds) {
        for (var e : r.epochs()) {
            err.printf(Locale.ROOT, "epoch %d: train loss %.4f%s%n", e.epoch(), e.trainLoss(),
                    Double.isNaN(e.trainAccuracy()) ? "" : String.format(Locale.ROOT, " accuracy %.4f", e.trainAccuracy()));
        }
        double[] wall = r.perStep().stream().mapToDouble(s -> s[1]).sorted().toArray();
        double[] comp = r.perStep().stream().mapToDouble(s -> s[2]).sorted().toArray();
        if (wall.length > 0) {
            err.printf(Locale.ROOT, "nnc: %d steps in %.1f s: median step %.1f ms, of which the slowest partition's "
                    + "compute %.2f ms%n", wall.length, seconds, wall[wall.length / 2], comp[comp.length / 2]);
        }
    }

    private void writeSettings(RunFolder run, Compilation c, TrainConfig config, String text) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("model", c.modelName());
        p.put("source", file.getFileName().toString());
        p.put("source_path", file.toAbsolutePath().normalize().toString());
        p.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("spark_master", master == null ? "" : master);
        p.put("epochs", String.valueOf(config.epochs()));
        p.put("batch", String.valueOf(config.batch()));
        p.put("seed", String.valueOf(config.seed()));
        p.put("data", data == null ? c.data().name() : data);
        KeyValues.write(run.file(RunFolder.SETTINGS), "nnc run settings (trained on Spark)", p);
        AtomicFile.write(run.file(RunFolder.SOURCE), text.getBytes(StandardCharsets.UTF_8));
    }
}
