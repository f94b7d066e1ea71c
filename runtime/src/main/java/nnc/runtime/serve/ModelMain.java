package nnc.runtime.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Backend;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.NonFiniteInputException;

/**
 * The main class of a model jar ({@code nnc build}): {@code predict}, {@code evaluate} and
 * {@code info}. Exit codes: 0 ok, 1 a bad input, 2 a usage error, 3 an internal error.
 *
 * <p>Kernels: with the Vector API in this JVM, SIMD. Without it (a plain {@code java -jar}),
 * {@link #chooseKernels} decides: a small job runs at once on the scalar kernels, because a
 * second JVM and the Vector API's warm-up cost more than the whole job; a large one relaunches
 * with the module ({@link Relaunch}), or, when no child JVM can be started, runs on the scalar
 * kernels after one line of notice (from {@link Backend}).
 */
public final class ModelMain {
    /**
     * Multiply-adds a run may need and still stay on the scalar kernels in this JVM, about
     * 4,000 MNIST MLP samples. A relaunch costs a second JVM start, and the Vector API then runs
     * its slow Java fallback until C2 has compiled the kernels, seconds in all; measured with the
     * MLP (docs/performance.md, "Model jars"), the scalar kernels still won at 3,000 images and
     * lost at 10,000.
     */
    static final long SCALAR_WORK_LIMIT = 1_000_000_000L;
    /** Samples per run of the network; a full batch runs on every core. */
    private static final int BATCH = 256;

    private ModelMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String prog = "java -jar " + jarName();
        String command = args.length > 0 ? args[0] : "";
        try {
            ModelJar jar = ModelJar.current();
            if (jar == null) {
                err.println(prog + ": this jar holds no nnc model (" + ModelJar.DESCRIPTOR + " is missing)");
                return 1;
            }
            switch (command) {
                case "predict" -> {
                    Args a = new Args(args, 1, Set.of("--top", "--format", "--backend"), Set.of());
                    if (a.flag("--help")) {
                        out.print(Usage.predict(prog));
                        return 0;
                    }
                    return predict(jar, a, args, out, err);
                }
                case "evaluate" -> {
                    Args a = new Args(args, 1, Set.of("--limit", "--threads", "--backend"), Set.of());
                    if (a.flag("--help")) {
                        out.print(Usage.evaluate(prog));
                        return 0;
                    }
                    return evaluate(jar, a, args, out, err);
                }
                case "info" -> {
                    Args a = new Args(args, 1, Set.of(), Set.of());
                    if (a.flag("--help")) {
                        out.print(Usage.info(prog));
                        return 0;
                    }
                    if (!a.positional.isEmpty()) {
                        throw new Args.UsageException("info takes no arguments");
                    }
                    return info(jar, out);
                }
                case "help", "-h", "--help" -> {
                    out.print(Usage.main(prog, jar));
                    return 0;
                }
                default -> {
                    err.print((command.isEmpty() ? "" : prog + ": unknown command '" + command + "'\n")
                            + Usage.main(prog, jar));
                    return 2;
                }
            }
        } catch (Args.UsageException e) {
            err.println(prog + " " + command + ": " + e.getMessage());
            err.println("Run '" + prog + " " + command + " --help' for its options.");
            return 2;
        } catch (InputException | IOException | nnc.runtime.model.ArenaTooLargeException e) {
            err.println(prog + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException | Error e) {
            err.println(prog + ": internal error (a bug in nnc; please report it): " + e);
            if (System.getenv("NNC_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 3;
        }
    }

    private static int predict(ModelJar jar, Args a, String[] args, PrintStream out, PrintStream err)
            throws Args.UsageException, InputException, IOException {
        Report.Format format = Report.Format.valueOf(a.choice("--format", "text", List.of("text", "json", "csv"))
                .toUpperCase(Locale.ROOT));
        int top = a.intValue("--top", 1, 1); // before the inputs: '--top x.png' took the file as the value
        if (a.positional.isEmpty()) {
            throw new Args.UsageException("give at least one input file (PNG, JPEG, PGM, CSV or IDX)");
        }
        List<Path> files = a.positional.stream().map(Path::of).toList();
        long work = Inputs.estimateCount(files) * Math.max(1, jar.macs());
        Optional<Integer> child = chooseKernels(a, args, err, work);
        if (child.isPresent()) {
            return child.get();
        }
        CompiledModel model = jar.load();
        Inputs.Batch in = Inputs.read(files, model.spec());
        in.noteLines().forEach(n -> err.println("note: " + n));
        float[] y = new float[in.count() * model.spec().outputSize()];
        try (Exec exec = in.count() >= BATCH ? Exec.allCores() : Exec.sequential()) {
            model.newPredictor(exec, Math.min(BATCH, in.count())).predict(in.values(), 0, in.count(), y, 0);
        } catch (NonFiniteInputException e) {
            throw new InputException(in.names().get(e.sample()) + ": " + e.getMessage());
        }
        new Report(model.spec(), format, top, out).print(in, y, true);
        return 0;
    }

    private static int evaluate(ModelJar jar, Args a, String[] args, PrintStream out, PrintStream err)
            throws Args.UsageException, InputException, IOException {
        if (a.positional.size() != 1) {
            throw new Args.UsageException("give one dataset: a name (mnist), a folder or a CSV file");
        }
        int limit = a.intValue("--limit", Integer.MAX_VALUE, 1);
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = a.intValue("--threads", cores, 1, cores, " (the cores of this machine)");
        long work = limit == Integer.MAX_VALUE ? Long.MAX_VALUE : (long) limit * Math.max(1, jar.macs());
        Optional<Integer> child = chooseKernels(a, args, err, work);
        if (child.isPresent()) {
            return child.get();
        }
        CompiledModel model = jar.load();
        String where = a.positional.get(0);
        String trained = jar.get(ModelJar.DATA);
        if (!trained.isEmpty() && !trained.equals(where) && !where.contains("/") && !Files.exists(Path.of(where))) {
            err.println("note: " + model.spec().name() + " was trained on " + trained + "; this evaluates it on " + where);
        }
        var data = Evaluate.testSet(where, model);
        Evaluate.Result r;
        try (Exec exec = Exec.threads(threads)) {
            r = Evaluate.run(model, data, limit, exec);
        } catch (InputException e) { // "its samples have 196 values, but ...": which data
            throw new InputException(a.positional.get(0) + ": " + e.getMessage());
        }
        out.printf(Locale.ROOT, "test: loss=%.4f accuracy=%s (%d samples)%n", r.loss(),
                Double.isNaN(r.accuracy()) ? "nan" : String.format(Locale.ROOT, "%.4f", r.accuracy()), r.samples());
        return 0;
    }

    private static int info(ModelJar jar, PrintStream out) throws IOException {
        out.print(ModelJar.summary());
        out.println("Weights: " + (jar.get(ModelJar.WEIGHTS).isEmpty() ? "none (every value is fixed in the .nn file)"
                : jar.get(ModelJar.WEIGHTS_ORIGIN)));
        out.println("Built: " + jar.get(ModelJar.BUILT) + " by nnc " + jar.get(ModelJar.NNC_VERSION) + " from "
                + jar.get(ModelJar.SOURCE));
        out.println("Kernels: " + (Backend.vectorApiAvailable() ? "SIMD (Vector API in this JVM)"
                : "scalar for small jobs; a large one relaunches this JVM with --add-modules " + Relaunch.MODULE));
        return 0;
    }

    /**
     * Picks the kernels before the model class (and so {@link Kernels}) is loaded. Returns the
     * exit code of a relaunched child when this run went there, else empty: continue here.
     */
    private static Optional<Integer> chooseKernels(Args a, String[] args, PrintStream err, long work)
            throws Args.UsageException {
        String backend = a.choice("--backend", "auto", List.of("auto", "simd", "scalar"));
        if (backend.equals("scalar")) {
            System.setProperty("nnc.backend", "scalar");
            return Optional.empty();
        }
        if (Backend.vectorApiAvailable() || Relaunch.isChild()) {
            return Optional.empty();
        }
        if (backend.equals("auto") && work <= SCALAR_WORK_LIMIT) {
            System.setProperty("nnc.backend", "scalar");
            return Optional.empty();
        }
        return Relaunch.run(args, err);
    }

    private static String jarName() {
        try {
            Path p = Path.of(ModelMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.getFileName().toString();
        } catch (Exception e) {
            return "model.jar";
        }
    }
}
