package nnc.compiler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import nnc.compiler.CompileResult;
import nnc.compiler.NncCompiler;
import nnc.compiler.codegen.ServingSpec;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.runs.RunFolder;
import nnc.compiler.runs.RunWeights;
import nnc.compiler.runs.Runs;
import nnc.runtime.model.Serving;

/**
 * Whether weights trained in a run still fit what the {@code .nn} file now does around the
 * network: its preprocessing of raw inputs ({@code normalize}, pixel scaling) and its output
 * activation. The weights fingerprint catches a changed layer; this catches a changed
 * {@code normalize(mean: ...)}, which would otherwise only show as worse predictions.
 *
 * <p>A run records its {@link #KEY} in {@code run.properties}. Runs made before that key
 * existed are compared only when the file's text differs from the run's (its
 * {@code source_sha256}): then the run's own {@code source.nn} is analysed (no code is
 * generated) to learn what it trained with; when that copy no longer compiles, nothing is said.
 */
final class ServingMatch {
    /** The {@code run.properties} key: {@link #text} of the model's serving when the run started. */
    static final String KEY = "serving";
    /** The key of {@link #exact}, which is what is compared (the words of {@link #text} may change). */
    static final String EXACT_KEY = "serving_exact";

    private ServingMatch() {
    }

    /** One line for the run file and messages: the preprocessing, then the output. */
    static String text(Serving s) {
        return s.description() + "; output: " + s.output().name().toLowerCase(Locale.ROOT);
    }

    /** The preprocessing and output as exact values: scale and shift per channel (hex floats), image, output. */
    static String exact(Serving s) {
        StringBuilder b = new StringBuilder("scale");
        for (float v : s.scale()) {
            b.append(' ').append(Float.toHexString(v));
        }
        b.append("; shift");
        for (float v : s.shift()) {
            b.append(' ').append(Float.toHexString(v));
        }
        return b.append("; image ").append(s.image() == null ? "none" : s.image().channels() + "x" + s.image().height()
                + "x" + s.image().width()).append("; output ").append(s.output().name()).toString();
    }

    /**
     * What a run served with: the string compared ({@link #exact}, or {@link #text} for runs
     * that recorded only the words) and the words shown in messages.
     */
    private record Trained(String compared, boolean exact, String shown) {
    }

    /**
     * Refuses weights of a run that preprocessed or activated differently from {@code now}
     * (with {@code force}: a warning); weights not from a run folder are not checked.
     */
    static void check(RunWeights w, Serving now, Path nnFile, boolean force) {
        RunFolder run = w.run() != null ? w.run() : enclosingRun(w.file());
        if (run == null) {
            return;
        }
        Trained trained = trainedWith(run, nnFile);
        if (trained == null || trained.compared().equals(trained.exact() ? exact(now) : text(now))) {
            return;
        }
        String current = text(now);
        String what = run + " was trained with: " + trained.shown() + "\n  " + Runs.display(nnFile) + " now says:   "
                + current;
        if (force) {
            System.err.println("nnc: warning: the preprocessing or output differs (used anyway, --force):\n  " + what);
            return;
        }
        throw new UserError("nnc: the weights do not fit " + Runs.display(nnFile)
                + " any more: its preprocessing or output changed since the run\n  " + what
                + "\n  = hint: retrain (./nnc train " + Runs.display(nnFile)
                + "), or pass --force to use the weights anyway");
    }

    /** The run folder a weights file named with --weights sits in (as nnc wrote it there), or null. */
    private static RunFolder enclosingRun(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        boolean ours = name.equals(RunFolder.WEIGHTS) || name.equals(RunFolder.BEST) || name.equals(RunFolder.CHECKPOINT);
        return ours && dir != null && Files.isRegularFile(dir.resolve(RunFolder.SETTINGS)) ? RunFolder.at(dir) : null;
    }

    /** What the run served with, or null when that cannot be known or is the file's as it is now. */
    private static Trained trainedWith(RunFolder run, Path nnFile) {
        Map<String, String> s;
        try {
            s = run.settings();
        } catch (IOException e) {
            return null; // --weights inside a damaged run: the weights file was checked on its own
        }
        String words = s.get(KEY);
        if (s.get(EXACT_KEY) != null) {
            return new Trained(s.get(EXACT_KEY), true, words == null ? s.get(EXACT_KEY) : words);
        }
        if (words != null) {
            return new Trained(words, false, words);
        }
        try {
            if (TrainCommand.sha256(SourceFile.read(nnFile).text()).equals(s.get("source_sha256"))
                    || !run.exists(RunFolder.SOURCE)) {
                return null;
            }
            CompileResult r = NncCompiler.compile(SourceFile.read(run.file(RunFolder.SOURCE)),
                    NncCompiler.Options.defaults().model(s.get("model")).goal(NncCompiler.Goal.ANALYZE));
            if (!r.errors().isEmpty() || r.compilation() == null) {
                return null;
            }
            Serving then = ServingSpec.of(r.compilation());
            return new Trained(exact(then), true, text(then));
        } catch (IOException | RuntimeException e) {
            return null; // an old run's copy that no longer reads or compiles: nothing to compare
        }
    }
}
