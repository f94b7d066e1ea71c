package nnc.compiler.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import nnc.compiler.Compilation;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.runs.Runs;
import nnc.compiler.runs.SweepGrid;
import nnc.compiler.runs.SweepRun;
import nnc.compiler.runs.SweepTable;

/**
 * The runs of one {@code nnc sweep}, one after another: each point's folder is read, ended runs
 * are skipped, the others trained (or resumed) in a child JVM, and after each the results are
 * written again and one line says how it ended, with the time the rest of the sweep should
 * take (the mean of the runs trained so far, times the runs left).
 */
final class SweepLoop {
    private static final String AGAIN = "run the same command again to go on (ended runs are skipped, the "
            + "interrupted one resumes from its checkpoint)";
    private final SweepCommand cmd;
    private final SourceFile src;
    private final Compilation c;
    private final SweepGrid grid;
    private final String metric;
    private final Path dir;
    private final String title;

    SweepLoop(SweepCommand cmd, SourceFile src, Compilation c, SweepGrid grid, String metric, Path dir) {
        this.cmd = cmd;
        this.src = src;
        this.c = c;
        this.grid = grid;
        this.metric = metric;
        this.dir = dir;
        this.title = c.modelName() + " sweep";
    }

    int run() throws IOException {
        List<SweepGrid.Point> points = grid.points();
        List<SweepRun> runs = new ArrayList<>();
        for (SweepGrid.Point p : points) {
            runs.add(inspect(p));
        }
        refuseStale(runs);
        int toTrain = (int) runs.stream().filter(r -> r.state() == SweepRun.State.NEW
                || r.state() == SweepRun.State.RESUME).count();
        long ended = runs.stream().filter(r -> r.state() == SweepRun.State.ENDED).count();
        long resume = runs.stream().filter(r -> r.state() == SweepRun.State.RESUME).count();
        System.err.printf(Locale.ROOT, "nnc: sweep of %s: %s in %s, by %s; %d ended earlier, %s%d to train%n",
                c.modelName(), grid.describe(), Runs.display(dir), metric, ended,
                resume == 0 ? "" : resume + " to resume, ", toTrain - resume);
        SweepTable.write(dir, title, grid, runs, metric);
        List<Double> took = new ArrayList<>();
        boolean interrupted = false;
        try (Interrupts in = Interrupts.install(System.err,
                "stopping the sweep once the run in progress has written its checkpoint", AGAIN)) {
            for (int i = 0; i < runs.size() && !interrupted; i++) {
                SweepRun r = runs.get(i);
                String head = "[" + SweepCommand.pad(i + 1, runs.size()) + "/" + runs.size() + "] " + r.point().label();
                if (r.state() == SweepRun.State.ENDED) {
                    System.err.println(head + ": ended earlier (" + outcome(r) + ")");
                    continue;
                }
                if (r.state() == SweepRun.State.IN_USE) {
                    System.err.println(head + ": another nnc process is training it; left alone");
                    continue;
                }
                if (in.requested()) {
                    interrupted = true;
                    break;
                }
                Path log = SweepRun.log(dir, r.point());
                long t0 = System.nanoTime();
                int exit = ChildRun.run(cmd.trainArgs(r, r.state() == SweepRun.State.RESUME), log, in::requested);
                took.add((System.nanoTime() - t0) / 1e9);
                toTrain--;
                r = inspect(r.point());
                runs.set(i, r);
                SweepTable.write(dir, title, grid, runs, metric);
                interrupted = exit == Interrupts.EXIT || in.requested();
                // a run that ended in the grace period after the sweep was asked to stop says so
                System.err.println(head + ": " + (exit == Interrupts.EXIT ? "interrupted, " + r.epochsDone() + " epochs"
                        : exit == 0 || r.status().equals("diverged") ? outcome(r)
                        : "failed (exit " + exit + "): " + SweepCommand.reason(log) + "; log: " + Runs.display(log))
                        + String.format(Locale.ROOT, ", %s", SweepTable.duration(took.get(took.size() - 1)))
                        + eta(took, toTrain, interrupted));
            }
        }
        return finish(runs, interrupted);
    }

    private SweepRun inspect(SweepGrid.Point p) throws IOException {
        return SweepRun.inspect(p, dir, cmd.same(src, c, p));
    }

    /** Runs of another source or other settings: the sweep would compare what does not compare. */
    private void refuseStale(List<SweepRun> runs) {
        List<String> stale = runs.stream().filter(r -> r.state() == SweepRun.State.STALE)
                .map(r -> Runs.display(r.folder().dir())).toList();
        if (!stale.isEmpty()) {
            throw new UserError("nnc: " + stale.size() + " run" + (stale.size() == 1 ? " in " + stale.get(0) + " was"
                    : "s, such as " + stale.get(0) + ", were") + " trained from another version of "
                    + cmd.file.getFileName() + " or with other --set, --limit or --no-fuse values; their results "
                    + "would not compare with new ones\n  = hint: pass --out DIR to start this sweep in a new folder "
                    + "(the runs in " + Runs.display(dir) + " are left as they are)");
        }
    }

    /** {@code finished 20/20, val_accuracy 0.9812} or {@code diverged after 3/20 epochs}. */
    private String outcome(SweepRun r) {
        double v = r.metric(metric);
        String status = r.status();
        return (status.equals("diverged") ? "diverged after " + r.epochsDone() + " epochs" : status + " "
                + r.epochsDone()) + (Double.isNaN(v) ? "" : String.format(Locale.ROOT, ", %s %.4f", metric, v));
    }

    private static String eta(List<Double> took, int left, boolean interrupted) {
        if (interrupted || left <= 0 || took.isEmpty()) {
            return "";
        }
        double mean = took.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return "; ETA " + SweepTable.duration(mean * left) + " for " + left + " more run" + (left == 1 ? "" : "s");
    }

    private int finish(List<SweepRun> runs, boolean interrupted) throws IOException {
        System.out.print(Files.readString(dir.resolve(SweepTable.MARKDOWN), StandardCharsets.UTF_8));
        System.err.println("nnc: results in " + Runs.display(dir.resolve(SweepTable.MARKDOWN)) + ", "
                + SweepTable.CSV + (Files.exists(dir.resolve(SweepTable.FIGURE)) ? " and " + SweepTable.FIGURE : ""));
        if (interrupted) {
            System.err.println("nnc: sweep interrupted; " + AGAIN);
            return Interrupts.EXIT;
        }
        List<String> failed = runs.stream().filter(r -> !List.of("finished", "stopped_early", "diverged")
                .contains(r.status())).map(r -> r.point().label()).toList();
        if (!failed.isEmpty()) {
            System.err.println("nnc: " + failed.size() + " of " + runs.size() + " runs did not end: "
                    + String.join("; ", failed) + " (their logs are in " + Runs.display(dir.resolve("logs")) + ")");
            return Main.INPUT_ERROR;
        }
        return Main.OK;
    }
}
