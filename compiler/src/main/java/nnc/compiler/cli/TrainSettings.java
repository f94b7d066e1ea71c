package nnc.compiler.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.compiler.Compilation;
import nnc.compiler.pass.TrainSpec;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.Runs;
import nnc.runtime.train.TrainConfig;

/**
 * A run's settings after the command line has overridden the file: what {@code run.properties}
 * records and what {@code --resume} trains with again.
 *
 * @param source          the .nn file as the user named it
 * @param limit           {@code --limit}, or null
 * @param set             the {@code --set NAME=VALUE} overrides, in order
 * @param threads         the kernels' thread count (results are bit-identical for the same count)
 * @param checkpointEvery steps between checkpoints inside an epoch (0: at epoch ends only)
 */
record TrainSettings(String model, Path source, int epochs, int batch, long seed, Integer limit, boolean fuse,
                     List<String> set, int threads, int checkpointEvery, List<Path> dataDirs, boolean download) {

    /** How the loop trains {@code c} with these settings (a fresh schedule object each call). */
    TrainConfig config(Compilation c) {
        TrainSpec spec = c.train();
        return new TrainConfig(epochs, batch, spec.shuffle(), seed, spec.validationSplit(), spec.optimizer().lr(),
                spec.schedule(), spec.stop(), c.data().augments());
    }

    /** The lines of {@code run.properties}; docs/formats.md lists them. */
    Map<String, String> properties(Compilation c, long fingerprint, String sha256, String started, TrainingData data) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("model", model);
        p.put("source", source.getFileName().toString());
        p.put("source_path", source.toAbsolutePath().normalize().toString());
        p.put("source_sha256", sha256);
        nnc.runtime.model.Serving serving = nnc.compiler.codegen.ServingSpec.of(c);
        p.put(ServingMatch.KEY, ServingMatch.text(serving));
        p.put(ServingMatch.EXACT_KEY, ServingMatch.exact(serving));
        p.put("fingerprint", Long.toHexString(fingerprint));
        p.put("started", started);
        p.put("version", new Main.Version().getVersion()[0]);
        p.put("threads", String.valueOf(threads));
        p.put("epochs", String.valueOf(epochs));
        p.put("batch", String.valueOf(batch));
        p.put("seed", String.valueOf(seed));
        p.put("limit", limit == null ? "" : String.valueOf(limit));
        p.put("fuse", String.valueOf(fuse));
        p.put("set", String.join(" ", set));
        p.put("checkpoint_every", String.valueOf(checkpointEvery));
        p.put("data", c.data().name());
        p.put("data_dirs", String.join(File.pathSeparator, dataDirs.stream().map(d -> d.toAbsolutePath().toString())
                .toList()));
        p.put("download", String.valueOf(download));
        TrainSpec s = c.train();
        p.put("loss", s.loss().word());
        p.put("optimizer", s.optimizer().kind().name().toLowerCase());
        p.put("lr", String.valueOf(s.optimizer().lr()));
        p.put("shuffle", String.valueOf(s.shuffle()));
        p.put("validation_split", String.valueOf(s.validationSplit()));
        p.put("train_samples", String.valueOf(data.train().size()));
        p.put("val_samples", data.hasValidation() ? String.valueOf(data.val().size()) : "");
        p.put("test_samples", String.valueOf(data.test().size()));
        return p;
    }

    /** The command that trains the run in {@code run} again from its start, in the same folder. */
    String restartCommand(RunFolder run) {
        StringBuilder b = new StringBuilder("./nnc train " + Runs.display(source) + " --out " + run + " --overwrite"
                + " --model " + model + " --epochs " + epochs + " --batch " + batch + " --seed " + seed + " --threads "
                + threads);
        if (limit != null) {
            b.append(" --limit ").append(limit);
        }
        if (!fuse) {
            b.append(" --no-fuse");
        }
        if (checkpointEvery > 0) {
            b.append(" --checkpoint-every ").append(checkpointEvery);
        }
        set.forEach(x -> b.append(" --set ").append(x));
        dataDirs.forEach(d -> b.append(" --data ").append(d));
        return b.append(download ? "" : " --no-download").toString();
    }

    /** The settings a run recorded; an error names the first bad line. */
    static TrainSettings of(Map<String, String> p) throws IOException {
        try {
            List<Path> dirs = new ArrayList<>();
            for (String d : p.getOrDefault("data_dirs", "").split(java.util.regex.Pattern.quote(File.pathSeparator))) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
            String limit = p.getOrDefault("limit", "");
            return new TrainSettings(need(p, "model"), Path.of(need(p, "source_path")),
                    Integer.parseInt(need(p, "epochs")), Integer.parseInt(need(p, "batch")),
                    Long.parseLong(need(p, "seed")), limit.isEmpty() ? null : Integer.valueOf(limit),
                    Boolean.parseBoolean(need(p, "fuse")),
                    List.of(p.getOrDefault("set", "").split("\\s+")).stream().filter(x -> !x.isEmpty()).toList(),
                    Integer.parseInt(need(p, "threads")),
                    Integer.parseInt(need(p, "checkpoint_every")), dirs, Boolean.parseBoolean(need(p, "download")));
        } catch (NumberFormatException e) {
            throw new IOException("a number in it is malformed (" + e.getMessage() + ")");
        }
    }

    private static String need(Map<String, String> p, String key) throws IOException {
        String v = p.get(key);
        if (v == null || v.isEmpty()) {
            throw new IOException("it has no '" + key + "'");
        }
        return v;
    }
}
