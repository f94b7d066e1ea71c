package nnc.compiler.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import nnc.runtime.train.EpochResult;

/**
 * One point of a sweep and the state of its run folder, read from what the run wrote
 * (docs/formats.md): whether it still has to train, can be resumed, or has ended, and its
 * figures. Nothing here writes.
 *
 * @param settings the run's {@code run.properties} (empty before it started)
 * @param result   its {@code result.properties} (empty while it runs, or when it was killed)
 * @param epochs   the rows of its {@code metrics.csv}
 */
public record SweepRun(SweepGrid.Point point, RunFolder folder, State state, Map<String, String> settings,
                       Map<String, String> result, List<EpochResult> epochs) {

    public enum State {
        /** Nothing trained yet: start it (replacing what a run that failed before its first checkpoint left). */
        NEW,
        /** Interrupted or killed after a checkpoint: resume it. */
        RESUME,
        /** Finished, stopped early or diverged: skip it. */
        ENDED,
        /** Started from another source or other settings: its figures would not compare. */
        STALE,
        /** Another process trains in it now. */
        IN_USE
    }

    /** Statuses after which a run is not trained again. */
    private static final List<String> ENDED = List.of("finished", "stopped_early", "diverged");

    /**
     * Reads the folder of {@code point} in {@code sweepDir}.
     *
     * @param same what {@code run.properties} must say for the run to belong to this sweep:
     *             {@code source_sha256}, {@code model}, {@code limit}, {@code fuse} and
     *             {@code set} (compared as a set of {@code NAME=VALUE})
     */
    public static SweepRun inspect(SweepGrid.Point point, Path sweepDir, Map<String, String> same) throws IOException {
        RunFolder f = RunFolder.at(sweepDir.resolve(point.folderName()));
        if (!f.exists(RunFolder.SETTINGS)) {
            return new SweepRun(point, f, State.NEW, Map.of(), Map.of(), List.of());
        }
        Map<String, String> settings = f.settings();
        Map<String, String> result = f.result();
        List<EpochResult> epochs = List.of();
        if (f.exists(RunFolder.METRICS)) {
            try {
                epochs = MetricsCsv.read(f.file(RunFolder.METRICS));
            } catch (IOException e) {
                epochs = List.of(); // a damaged metrics file: the run's result still counts
            }
        }
        State state;
        if (!sameRun(settings, same)) {
            state = State.STALE;
        } else if (f.inUse()) {
            state = State.IN_USE;
        } else if (ENDED.contains(result.getOrDefault("status", ""))) {
            state = State.ENDED;
        } else if (f.exists(RunFolder.CHECKPOINT)) {
            state = State.RESUME;
        } else {
            state = State.NEW;
        }
        return new SweepRun(point, f, state, settings, result, epochs);
    }

    private static boolean sameRun(Map<String, String> settings, Map<String, String> same) {
        for (Map.Entry<String, String> e : same.entrySet()) {
            String have = settings.getOrDefault(e.getKey(), "");
            boolean equal = e.getKey().equals("set") ? sortedWords(have).equals(sortedWords(e.getValue()))
                    : have.equals(e.getValue());
            if (!equal) {
                return false;
            }
        }
        return true;
    }

    private static List<String> sortedWords(String s) {
        List<String> w = new ArrayList<>(Arrays.asList(s.strip().split("\\s+")));
        w.removeIf(String::isEmpty);
        w.sort(null);
        return w;
    }

    /**
     * {@code finished}, {@code stopped_early}, {@code diverged}, {@code interrupted}; {@code killed}
     * (a checkpoint but no result), {@code failed} (it started but never checkpointed, or a log
     * says it was tried), {@code not run}.
     */
    public String status() {
        String s = result.get("status");
        if (s != null) {
            return s;
        }
        if (!settings.isEmpty()) {
            return folder.exists(RunFolder.CHECKPOINT) ? "killed" : "failed";
        }
        return Files.exists(log(folder.dir().getParent(), point)) ? "failed" : "not run";
    }

    /** Where a sweep keeps the output of a point's run: {@code logs/<folder name>.log} in the sweep folder. */
    public static Path log(Path sweepDir, SweepGrid.Point point) {
        return sweepDir.resolve("logs").resolve(point.folderName() + ".log");
    }

    /** A figure of {@code result.properties} (at the epoch whose weights were kept); NaN when it has none. */
    public double metric(String key) {
        String v = result.getOrDefault(key, "");
        try {
            return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The median training time of an epoch, NaN before the first. */
    public double medianEpochSeconds() {
        double[] s = epochs.stream().mapToDouble(EpochResult::seconds).filter(Double::isFinite).sorted().toArray();
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Seconds from the start to the end of the run (including data loading and evaluation), NaN while unended. */
    public double wallSeconds() {
        try {
            Instant from = Instant.parse(settings.getOrDefault("started", ""));
            Instant to = Instant.parse(result.getOrDefault("ended", ""));
            return Duration.between(from, to).toMillis() / 1000.0;
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }

    /** {@code 20/20}: epochs done of those planned. */
    public String epochsDone() {
        String of = settings.getOrDefault("epochs", "?");
        String done = result.getOrDefault("epochs", String.valueOf(epochs.size()));
        return done + "/" + of;
    }

    /** Whether the folder has files in it (a NEW point whose earlier attempt failed before its first checkpoint). */
    public boolean leftovers() throws IOException {
        if (!Files.isDirectory(folder.dir())) {
            return false;
        }
        try (var files = Files.list(folder.dir())) {
            return files.findAny().isPresent();
        }
    }
}
