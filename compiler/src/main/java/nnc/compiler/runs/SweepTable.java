package nnc.compiler.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import nnc.compiler.plot.Curves;
import nnc.runtime.io.AtomicFile;

/**
 * A sweep's results, written again after every run from what the run folders hold:
 * {@code results.csv} and {@code results.md}, best first by the chosen metric (runs without it,
 * failed or not yet run, last, in grid order), and {@code sweep.png}, every run's validation
 * curves in one figure. The figures of a run are those of the epoch whose weights it kept.
 */
public final class SweepTable {
    public static final String CSV = "results.csv";
    public static final String MARKDOWN = "results.md";
    public static final String FIGURE = "sweep.png";
    /** The metrics a sweep can be sorted by (keys of {@code result.properties}). */
    public static final List<String> METRICS = List.of("val_accuracy", "val_loss", "train_accuracy", "train_loss");

    private SweepTable() {
    }

    /** Higher is better for accuracies, lower for losses. */
    public static boolean higherIsBetter(String metric) {
        return metric.endsWith("accuracy");
    }

    /** Best first by {@code metric}; runs without it after, in grid order. */
    public static List<SweepRun> sorted(List<SweepRun> runs, String metric) {
        Comparator<SweepRun> byMetric = Comparator.comparingDouble(r -> r.metric(metric));
        if (higherIsBetter(metric)) {
            byMetric = byMetric.reversed();
        }
        List<SweepRun> with = new ArrayList<>(runs.stream().filter(r -> !Double.isNaN(r.metric(metric))).toList());
        with.sort(byMetric.thenComparingInt(r -> r.point().index()));
        runs.stream().filter(r -> Double.isNaN(r.metric(metric))).forEach(with::add);
        return with;
    }

    /**
     * Writes the three files into {@code dir}. The figure is left out while no run has a
     * finished epoch.
     *
     * @param title e.g. {@code MnistMlp sweep}
     */
    public static void write(Path dir, String title, SweepGrid grid, List<SweepRun> runs, String metric)
            throws IOException {
        List<SweepRun> sorted = sorted(runs, metric);
        AtomicFile.write(dir.resolve(CSV), csv(grid, sorted).getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(dir.resolve(MARKDOWN), markdown(title, grid, sorted, metric, dir)
                .getBytes(StandardCharsets.UTF_8));
        List<Curves.Line> lines = lines(grid, runs);
        if (!lines.isEmpty()) {
            boolean validation = runs.stream().anyMatch(r -> r.epochs().stream().anyMatch(e -> !Double.isNaN(e.valLoss())));
            AtomicFile.write(dir.resolve(FIGURE), Curves.sweep(title, lines, validation));
        }
    }

    static String csv(SweepGrid grid, List<SweepRun> sorted) {
        StringBuilder s = new StringBuilder("rank");
        grid.axes().forEach(a -> s.append(',').append(a.name()));
        s.append(",status,epochs,weights_epoch,train_loss,train_accuracy,val_loss,val_accuracy,median_epoch_seconds,"
                + "wall_seconds,run\n");
        int rank = 1;
        for (SweepRun r : sorted) {
            s.append(rank++);
            r.point().values().forEach(v -> s.append(',').append(v));
            s.append(',').append(r.status()).append(',').append(r.epochsDone()).append(',')
                    .append(r.result().getOrDefault("weights_epoch", ""));
            for (String k : List.of("train_loss", "train_accuracy", "val_loss", "val_accuracy")) {
                s.append(',').append(number(r.metric(k), "%.6f"));
            }
            s.append(',').append(number(r.medianEpochSeconds(), "%.3f")).append(',')
                    .append(number(r.wallSeconds(), "%.0f")).append(',').append(r.point().folderName()).append('\n');
        }
        return s.toString();
    }

    static String markdown(String title, SweepGrid grid, List<SweepRun> sorted, String metric, Path dir) {
        StringBuilder s = new StringBuilder("# ").append(title).append(": ").append(grid.describe()).append("\n\n");
        s.append("Sorted by ").append(metric).append(higherIsBetter(metric) ? " (highest first)" : " (lowest first)")
                .append(", at the epoch whose weights each run kept. The run folders are in `")
                .append(Runs.display(dir)).append("`, named by their values.\n\n");
        s.append("| # |");
        grid.axes().forEach(a -> s.append(' ').append(a.name()).append(" |"));
        s.append(" status | epochs | val_accuracy | val_loss | train_accuracy | train_loss | s/epoch | time |\n|---|");
        grid.axes().forEach(a -> s.append("---|"));
        s.append("---|---|---|---|---|---|---|---|\n");
        for (int rank = 1; rank <= sorted.size(); rank++) {
            SweepRun r = sorted.get(rank - 1);
            s.append("| ").append(rank).append(" |");
            r.point().values().forEach(v -> s.append(' ').append(v).append(" |"));
            s.append(' ').append(r.status()).append(" | ").append(r.epochsDone()).append(" | ");
            for (String k : List.of("val_accuracy", "val_loss", "train_accuracy", "train_loss")) {
                String v = number(r.metric(k), "%.4f");
                s.append(k.equals(metric) && rank == 1 && !v.isEmpty() ? "**" + v + "**" : v).append(" | ");
            }
            s.append(number(r.medianEpochSeconds(), "%.2f")).append(" | ").append(duration(r.wallSeconds()))
                    .append(" |\n");
        }
        SweepRun best = sorted.isEmpty() ? null : sorted.get(0);
        if (best != null && !Double.isNaN(best.metric(metric))) {
            s.append("\nChosen by ").append(metric).append(": **").append(best.point().label()).append("**");
            double test = best.metric("test_accuracy");
            if (!Double.isNaN(test)) {
                s.append(String.format(Locale.ROOT, "; its test accuracy, measured once after training: %.4f", test));
            }
            s.append(".\n");
        }
        return s.toString();
    }

    /** Each run with epochs, styled by its place in the grid: colour by the first axis, dash by the second, marker by the third. */
    static List<Curves.Line> lines(SweepGrid grid, List<SweepRun> runs) {
        int axes = grid.axes().size();
        boolean byAxes = axes <= 3 && grid.axes().get(0).values().size() <= 10
                && (axes < 2 || grid.axes().get(1).values().size() <= 4)
                && (axes < 3 || grid.axes().get(2).values().size() <= 6);
        List<Curves.Line> lines = new ArrayList<>();
        for (SweepRun r : runs) {
            if (r.epochs().isEmpty()) {
                continue;
            }
            List<Integer> c = r.point().choice();
            lines.add(byAxes ? new Curves.Line(r.point().label(), r.epochs(), c.get(0), axes > 1 ? c.get(1) : 0,
                    axes > 2 ? c.get(2) : 0) : new Curves.Line(r.point().label(), r.epochs(), r.point().index()));
        }
        return lines;
    }

    static String number(double v, String format) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }

    /** {@code 42 s}, {@code 3 min 05 s}, {@code 1 h 02 min}. */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }
}
