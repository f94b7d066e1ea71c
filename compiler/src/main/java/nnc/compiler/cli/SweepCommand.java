package nnc.compiler.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.compiler.Compilation;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.layers.Val;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.Runs;
import nnc.compiler.runs.SweepGrid;
import nnc.compiler.runs.SweepRun;
import nnc.compiler.runs.SweepTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc sweep FILE}: trains every point of a grid, each in a run folder of its own and a
 * JVM of its own ({@link ChildRun}), and keeps {@code results.csv}, {@code results.md} and
 * {@code sweep.png} up to date after every run ({@link SweepTable}). What a run folder holds
 * decides what happens to its point ({@link SweepRun}): ended runs are skipped, interrupted
 * ones resumed, and runs made from another source or other settings stop the sweep before it
 * trains anything, so a table never mixes runs that do not compare.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train every combination of a grid of values and compare the runs.",
            "They are compared on the validation set. The grid is FILE's sweep section for",
            "the model, or --grid NAME=V1,V2,... (repeatable). Each combination is a run",
            "folder of its own in runs/MODEL/sweep/ next to FILE (or --out DIR), named by",
            "its values (lr=1e-3,batch=32); results.csv, results.md (best first by",
            "--metric) and sweep.png (every run's validation curves) are rewritten after",
            "every run. Running the same sweep again skips the runs that ended and resumes",
            "an interrupted one. A run that fails is reported and the others go on; the",
            "output of each run is in logs/ of the sweep folder."},
        footer = {"", "Exit codes: 0 every run ended, 1 an error in the input or a run failed,",
            "2 usage error, 130 interrupted (the same command goes on where it stopped)."})
final class SweepCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file with the model, its train declaration and (unless --grid) a sweep.")
    Path file;

    @Option(names = "--grid", paramLabel = "NAME=V1,V2", description = "An axis of the grid: a model parameter or a "
        + "training value (lr, batch, epochs, weight_decay, momentum, seed) and its values; repeatable. Replaces the "
        + "file's sweep section.")
    List<String> grid = new ArrayList<>();

    @Option(names = "--metric", paramLabel = "NAME", description = "What the results are sorted by: val_accuracy "
        + "(default for classifiers), val_loss (default otherwise), train_accuracy or train_loss.")
    String metric;

    @Option(names = "--out", paramLabel = "DIR", description = "The sweep folder (default: runs/MODEL/sweep next to FILE).")
    Path out;

    @Mixin
    DataOptions dataOpts = new DataOptions();

    @Mixin
    CompileOptions options = new CompileOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        if (metric != null && !SweepTable.METRICS.contains(metric)) {
            usage("--metric must be one of " + String.join(", ", SweepTable.METRICS) + ", got '" + metric + "'");
        }
        try {
            return sweep();
        } catch (IOException e) {
            throw new UserError("nnc: " + TrainCommand.describe(e));
        }
    }

    private void usage(String message) {
        throw new CommandLine.ParameterException(command.commandLine(), message);
    }

    private int sweep() throws IOException {
        SourceFile src = Frontend.read(file);
        CompileResult checked = NncCompiler.check(src);
        System.err.print(checked.render());
        if (!checked.ok()) {
            throw new UserError(checked.errors().size() + (checked.errors().size() == 1 ? " error" : " errors"));
        }
        NncCompiler.Options base = options.compiler(src).goal(NncCompiler.Goal.ANALYZE);
        Compilation c = Frontend.compile(src, base, System.err).compilation();
        if (c.train() == null) {
            throw new UserError("nnc: " + file + " has no train declaration for " + c.modelName() + "; a sweep varies one");
        }
        SweepGrid g = grid(c);
        String by = metric(c);
        checkPoints(src, base, g);
        Path dir = out != null ? out : Runs.modelFolder(file, c.modelName()).resolve("sweep");
        Files.createDirectories(dir.resolve("logs"));
        try (RunFolder.Lock lock = lockSweep(dir)) {
            return new SweepLoop(this, src, c, g, by, dir).run();
        }
    }

    /** The file's sweep section for the model, or the {@code --grid} options. */
    private SweepGrid grid(Compilation c) {
        if (!grid.isEmpty()) {
            SweepGrid g;
            try {
                g = SweepGrid.parse(grid);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command.commandLine(), "--grid: " + e.getMessage());
            }
            overlapWithSet(g);
            knownNames(g, c);
            return g;
        }
        for (nnc.compiler.syntax.Ast.Decl d : c.ast().decls()) {
            if (d instanceof nnc.compiler.syntax.Ast.SweepDecl s && s.model().equals(c.modelName())) {
                SweepGrid g = SweepGrid.of(s, c.source());
                overlapWithSet(g);
                return g;
            }
        }
        throw new UserError("nnc: " + file + " has no sweep for " + c.modelName()
                + "\n  = hint: add one (sweep " + c.modelName() + " { lr in [1e-3, 1e-2] }) or pass --grid lr=1e-3,1e-2");
    }

    /** Each {@code --grid} name is a parameter of the model or a training value (the file's sweep is checked by nnc check). */
    private void knownNames(SweepGrid g, Compilation c) {
        List<String> names = new ArrayList<>(nnc.compiler.pass.TrainOverrides.VALUES.keySet());
        for (nnc.compiler.syntax.Ast.Decl d : c.ast().decls()) {
            if (d instanceof nnc.compiler.syntax.Ast.Network n && !n.isBlock() && n.name().equals(c.modelName())) {
                names = nnc.compiler.pass.CheckOverrides.settable(n);
            }
        }
        for (SweepGrid.Axis a : g.axes()) {
            if (!names.contains(a.name())) {
                String hint = nnc.compiler.diag.Suggest.didYouMean(a.name(), names);
                usage("--grid " + a.name() + ": '" + a.name() + "' is neither a parameter of " + c.modelName()
                        + " nor a training value (" + (hint != null ? hint : "sweepable: " + String.join(", ", names))
                        + ")");
            }
            for (String v : a.values()) {  // the rule --set follows: a value a training value cannot hold is a usage error
                String problem = CompileOptions.problem(a.name(), CompileOptions.parse(v));
                if (problem != null) {
                    usage("--grid " + a.name() + "=" + v + ": " + problem);
                }
            }
        }
    }

    private void overlapWithSet(SweepGrid g) {
        for (SweepGrid.Axis a : g.axes()) {
            if (options.overrides().containsKey(a.name())) {
                usage("--set " + a.name() + " fixes a value the sweep varies; leave one of them out");
            }
        }
    }

    /** The metric asked for, or the default; one the runs will have. */
    private String metric(Compilation c) {
        boolean accuracy = c.objective().hasAccuracy();
        String m = metric != null ? metric : accuracy ? "val_accuracy" : "val_loss";
        if (m.endsWith("accuracy") && !accuracy) {
            throw new UserError("nnc: --metric " + m + ": " + c.modelName() + " trains with " + c.train().loss().word()
                    + ", which has no accuracy\n  = hint: --metric val_loss");
        }
        if (m.startsWith("val_") && c.train().validationSplit() <= 0) {
            throw new UserError("nnc: a sweep compares its runs on a validation set, and the train declaration of "
                    + c.modelName() + " in " + file + " has none (the test set is only for the end)"
                    + "\n  = hint: add 'validate split: 0.1' to the train declaration, or sort by --metric train_loss");
        }
        return m;
    }

    /** Compiles every point before anything trains, so a value that does not work fails now, not hours later. */
    private void checkPoints(SourceFile src, NncCompiler.Options base, SweepGrid g) {
        int failed = 0;
        for (SweepGrid.Point p : g.points()) {
            CompileResult r = NncCompiler.compile(src, base.override(overrides(p)));
            if (!r.ok()) {
                System.err.println("nnc: the sweep's run " + p.label() + " does not compile:");
                System.err.print(r.render());
                failed++;
            }
        }
        if (failed > 0) {
            throw new UserError(failed + " of " + g.size() + " runs do not compile; nothing was trained");
        }
    }

    static Map<String, Val> overrides(SweepGrid.Point p) {
        Map<String, Val> m = new LinkedHashMap<>();
        for (int i = 0; i < p.names().size(); i++) {
            Val v = CompileOptions.parse(p.values().get(i));
            if (v == null) {
                throw new UserError("nnc: " + p.names().get(i) + "=" + p.values().get(i) + ": not a number or a name");
            }
            m.put(p.names().get(i), v);
        }
        return m;
    }

    private static RunFolder.Lock lockSweep(Path dir) throws IOException {
        try {
            return RunFolder.at(dir).lock();
        } catch (IOException e) {
            throw new UserError("nnc: another nnc sweep is running in " + Runs.display(dir));
        }
    }

    /** What every run of the sweep shares, as {@code run.properties} records it. */
    Map<String, String> same(SourceFile src, Compilation c, SweepGrid.Point p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("source_sha256", TrainCommand.sha256(src.text()));
        m.put("model", c.modelName());
        m.put("limit", dataOpts.limit == null ? "" : String.valueOf(dataOpts.limit));
        m.put("fuse", String.valueOf(!options.noFuse));
        List<String> set = new ArrayList<>(options.set.stream().map(String::strip).toList());
        set.addAll(p.sets());
        m.put("set", String.join(" ", set));
        return m;
    }

    /** The arguments of {@code nnc train} for a run: a new one in {@code folder}, or resuming it. */
    List<String> trainArgs(SweepRun r, boolean resume) throws IOException {
        List<String> a = new ArrayList<>(List.of("train"));
        if (resume) {
            a.addAll(List.of("--resume", r.folder().dir().toString()));
        } else {
            a.addAll(List.of(file.toString(), "--out", r.folder().dir().toString()));
            if (r.leftovers()) {
                a.add("--overwrite"); // what a run that failed before its first checkpoint left
            }
            for (String s : options.set) {
                a.addAll(List.of("--set", s.strip()));
            }
            for (String s : r.point().sets()) {
                a.addAll(List.of("--set", s));
            }
            if (options.model != null) {
                a.addAll(List.of("--model", options.model));
            }
            if (options.noFuse) {
                a.add("--no-fuse");
            }
            if (dataOpts.limit != null) {
                a.addAll(List.of("--limit", String.valueOf(dataOpts.limit)));
            }
        }
        if (dataOpts.threads != null) {
            a.addAll(List.of("--threads", String.valueOf(dataOpts.threads)));
        }
        for (Path d : dataOpts.dirs) {
            a.addAll(List.of("--data", d.toString()));
        }
        if (dataOpts.noDownload) {
            a.add("--no-download");
        }
        return a;
    }

    /** Why a run failed, from its log: its first error line, else its last line. */
    static String reason(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
        String last = "";
        for (String l : lines) {
            if (l.contains("error:") || l.startsWith("nnc: training diverged")) {
                return l.strip();
            }
            if (!l.isBlank() && !l.startsWith("WARNING: Using incubator modules")) {
                last = l.strip();
            }
        }
        return last;
    }

    static String pad(int i, int n) {
        return String.format(Locale.ROOT, "%" + String.valueOf(n).length() + "d", i);
    }
}
