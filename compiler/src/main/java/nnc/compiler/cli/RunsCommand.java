package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.compiler.runs.KeyValues;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.Runs;
import nnc.compiler.runs.MetricsCsv;
import nnc.runtime.train.EpochResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nnc runs [FILE]}: the training runs, how each ended, and their final metrics. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List training runs with their status and final metrics, oldest first.",
            "With FILE: the runs of the models trained from it (runs/ next to FILE);",
            "without: those in ./runs. Unfinished runs show the command that resumes them."})
final class RunsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "A .nn file.")
    Path file;

    /** What is wrong with each damaged run file, said after the list (which marks the runs). */
    private final List<String> damaged = new ArrayList<>();

    @Override
    public Integer call() {
        Path root = file == null ? Path.of(Runs.RUNS) : file.toAbsolutePath().normalize().getParent().resolve(Runs.RUNS);
        if (file != null && !Files.isRegularFile(file)) {
            throw new UserError("nnc: " + file + (Files.isDirectory(file) ? " is a folder; give a .nn file" : ": no such file"));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "STATUS", "EPOCHS", "TRAIN_LOSS", "VAL_LOSS", "VAL_ACC", "TEST_ACC", "STARTED"});
        List<String> resumable = new ArrayList<>();
        try {
            if (Files.isDirectory(root)) {
                try (var models = Files.list(root)) {
                    for (Path m : models.filter(Files::isDirectory).sorted().toList()) {
                        for (RunFolder r : Runs.list(m)) {
                            row(r, rows, resumable);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UserError("nnc: cannot read " + Runs.display(root) + ": " + e.getMessage());
        }
        if (rows.size() == 1) {
            System.out.println(noRuns(root));
            return Main.OK;
        }
        print(rows);
        resumable.forEach(System.out::println);
        for (String d : damaged) {
            System.err.println("nnc: " + d);
        }
        return damaged.isEmpty() ? Main.OK : Main.INPUT_ERROR;
    }

    /** Where nnc looked, and how runs get there: 'nnc train' writes them next to the .nn file, not here. */
    private String noRuns(Path root) {
        String where = root.toAbsolutePath().normalize() + (Files.isDirectory(root) ? "" : " (no such folder)");
        if (file != null) {
            return "no runs of " + file.getFileName() + " in " + where
                    + "\n  = hint: 'nnc train " + Runs.display(file) + "' makes one there";
        }
        return "no training runs in " + where
                + "\n  = hint: 'nnc train FILE.nn' makes them in runs/ next to FILE.nn; list those with 'nnc runs FILE.nn'";
    }

    private void row(RunFolder r, List<String[]> rows, List<String> resumable) throws IOException {
        Map<String, String> s;
        try {
            s = r.settings();
        } catch (KeyValues.Damaged e) {
            rows.add(new String[] {r.toString(), "damaged", "", "", "", "", "", ""});
            damaged.add(e.getMessage()); // whichever file it came from, it may be one of FILE's runs
            return;
        } catch (IOException e) {
            rows.add(new String[] {r.toString(), "empty", "", "", "", "", "", ""});
            return;
        }
        if (file != null && !file.getFileName().toString().equals(s.get("source"))) {
            return;
        }
        Map<String, String> result;
        try {
            result = r.result();
        } catch (KeyValues.Damaged e) {
            result = Map.of("status", "damaged");
            damaged.add(e.getMessage());
        }
        String status = result.get("status");
        String[] last = lastMetrics(r);
        if (status == null) {
            status = r.inUse() ? "running" : r.exists(RunFolder.CHECKPOINT) ? "killed" : "empty";
        }
        if ((status.equals("interrupted") || status.equals("killed")) && r.exists(RunFolder.CHECKPOINT)) {
            resumable.add("resume " + r + ": ./nnc train " + Runs.display(Path.of(s.getOrDefault("source_path", "")))
                    + " --resume " + r);
        }
        String epochs = (result.containsKey("epochs") ? result.get("epochs") : last[0]) + "/" + s.getOrDefault("epochs", "?");
        rows.add(new String[] {r.toString(), status, epochs,
            result.getOrDefault("train_loss", last[1]), result.getOrDefault("val_loss", last[2]),
            result.getOrDefault("val_accuracy", last[3]), result.getOrDefault("test_accuracy", ""),
            s.getOrDefault("started", "")});
    }

    /** Epoch count, train_loss, val_loss and val_accuracy of the last row of metrics.csv. */
    private static String[] lastMetrics(RunFolder r) {
        String[] none = {"0", "", "", ""};
        if (!r.exists(RunFolder.METRICS)) {
            return none;
        }
        List<EpochResult> rows;
        try {
            rows = MetricsCsv.read(r.file(RunFolder.METRICS));
        } catch (IOException e) {
            return none;
        }
        if (rows.isEmpty()) {
            return none;
        }
        EpochResult l = rows.get(rows.size() - 1);
        return new String[] {String.valueOf(l.epoch()), number(l.trainLoss()), number(l.valLoss()),
            number(l.valAccuracy())};
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.6f", v);
    }

    private static void print(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                s.append(String.format("%-" + (w[i] + 2) + "s", r[i]));
            }
            System.out.println(s.toString().stripTrailing());
        }
    }
}
