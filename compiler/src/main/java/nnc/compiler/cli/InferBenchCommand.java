package nnc.compiler.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.compiler.CompileResult;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Kernels;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc bench infer FILE --batch N --threads T}: prediction latency and throughput through
 * the API an application calls, raw inputs to probabilities (preprocessing and softmax
 * included). Batch 1 is {@code model.predict(raw)} on the calling thread, as an application
 * calls it; a larger batch is a {@link Predictor} on an {@link Exec} of T threads. Every call is
 * timed on its own after a warm-up that reaches C2.
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Time predictions, raw input to probabilities, through the prediction API.",
            "Prints the latency per call (median, p99, min) and the throughput.",
            "Weights: --weights, else the trained ones, else random (the timing is the same)."})
final class InferBenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The .nn file.")
    Path file;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Samples per call (default: 1).")
    int batch;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
            description = "Threads per call for batches (default: 1; batch 1 runs on the caller).")
    int threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3", description = "Timed seconds (default: 3).")
    double seconds;

    @Mixin
    ModelWeights weights = new ModelWeights();

    @Option(names = "--images", paramLabel = "IDX",
            description = {"Inputs: the images of this IDX file (raw bytes, as the model's data reads them), "
                + "a different one each call; default: synthetic x[i] = (37 i + 11) mod 256, which no image resembles."})
    Path images;

    @Option(names = "--serve", description = "Answer timing requests on standard input (for bench/compare_infer.py).")
    boolean serve;

    @Mixin
    CompileOptions options = new CompileOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Calls timed at most (8 MB of timings). */
    static final int MAX_CALLS = 1 << 20;

    /** Images to draw inputs from ({@code --images}), {@code [count, inputSize]}; null: synthetic. */
    private float[] pool;
    private final Map<String, Case> cases = new HashMap<>();
    private final Map<Integer, Exec> execs = new HashMap<>();

    @Override
    public Integer call() throws IOException {
        if (batch < 1 || threads < 1 || !(seconds > 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--batch and --threads must be >= 1, --seconds > 0");
        }
        CompileResult r = options.compile(file, o -> o, System.err);
        CompiledModel model = weights.loadOrRandom(r, file, spec).model();
        if (images != null) {
            pool = imagePool(images, model.spec().inputSize());
        }
        try {
            return serve ? serve(model) : report(model);
        } finally {
            execs.values().forEach(Exec::close);
        }
    }

    private int report(CompiledModel model) {
        Case c = prepare(model, batch, threads);
        warmUp(c);
        long[] t = new long[MAX_CALLS];
        long start = System.nanoTime();
        int n = 0;
        while (n < t.length && (n < 100 || System.nanoTime() - start < seconds * 1e9)) {
            t[n++] = c.time(1);
        }
        long[] sorted = Arrays.copyOf(t, n);
        Arrays.sort(sorted);
        double median = sorted[n / 2] / 1e3;
        System.out.printf(Locale.ROOT, "%s, batch %d, %d thread%s, %s kernels: raw input to %s, %s%n", model.spec().name(),
                batch, threads, threads == 1 ? "" : "s", Kernels.backend().name(),
                model.spec().serving().output().isClassifier() ? "probabilities" : "outputs",
                pool == null ? "synthetic inputs (--images for real ones)"
                        : "the first " + pool.length / model.spec().inputSize() + " images of " + images);
        System.out.printf(Locale.ROOT, "latency     median %s   p99 %s   min %s   (%,d calls)%n", micros(median),
                micros(sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e3), micros(sorted[0] / 1e3), n);
        System.out.printf(Locale.ROOT, "throughput  %,.0f samples/s (at the median)%n", batch / (median * 1e-6));
        return Main.OK;
    }

    private static String micros(double us) {
        return us >= 1000 ? String.format(Locale.ROOT, "%.2f ms", us / 1e3) : String.format(Locale.ROOT, "%.1f us", us);
    }

    /** Lines: "run BATCH THREADS RUNS" (median seconds per call), "output BATCH", "save PATH", "quit". */
    private int serve(CompiledModel model) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            try {
                switch (w[0]) {
                    case "quit" -> {
                        return Main.OK;
                    }
                    case "run" -> {
                        Case c = cases.computeIfAbsent(w[1] + " " + w[2],
                                k -> prepare(model, Integer.parseInt(w[1]), Integer.parseInt(w[2])));
                        if (!c.warm) {
                            warmUp(c);
                        }
                        System.out.println(BenchCommand.sample(Integer.parseInt(w[3]), c::runOnce)[0]);
                    }
                    case "output" -> {
                        Case c = prepare(model, Integer.parseInt(w[1]), 1);
                        c.runOnce();
                        StringBuilder b = new StringBuilder();
                        for (float v : c.out) {
                            b.append(v).append(' ');
                        }
                        System.out.println(b.toString().strip());
                    }
                    case "save" -> {
                        model.save(Path.of(w[1]));
                        System.out.println("ok");
                    }
                    default -> System.out.println("error unknown request " + w[0]);
                }
            } catch (RuntimeException | IOException e) {
                System.out.println("error " + e);
            }
            System.out.flush();
        }
        return Main.OK;
    }

    /**
     * Up to {@link #POOL} images of an IDX file as floats: an input error (exit 1) when the file
     * is not an IDX file of unsigned bytes or its items do not have the model's input size.
     */
    private static float[] imagePool(Path idx, int inputSize) throws IOException {
        nnc.runtime.data.Idx.Array a;
        try {
            a = nnc.runtime.data.Idx.read(idx);
        } catch (nnc.runtime.data.DataFileException e) {
            throw new UserError("nnc bench infer: --images: " + e.getMessage());
        }
        // As predict reads IDX inputs: a rank-1 file is one item, a larger rank items along the first dimension.
        int[] dims = a.dims();
        int items = dims.length == 1 ? 1 : dims[0];
        int[] shape = dims.length == 1 ? dims : Arrays.copyOfRange(dims, 1, dims.length);
        long each = 1;
        for (int d : shape) {
            each *= d;
        }
        if (items < 1 || each != inputSize) {
            throw new UserError("nnc bench infer: --images " + idx + ": IDX items of shape " + Arrays.toString(shape)
                    + " (" + each + " values) do not fit the model's input of " + inputSize + " values");
        }
        int count = Math.min(POOL, items);
        float[] p = new float[count * inputSize];
        for (int i = 0; i < p.length; i++) {
            p[i] = a.data()[i] & 0xff;
        }
        return p;
    }

    /** Images {@code --images} takes at most. */
    static final int POOL = 1000;

    /**
     * One configuration. Inputs: row r is image {@code r mod count} of {@code --images} (the
     * same rows every peer of bench/compare_infer.py reads), and a batch of one moves to the next
     * image on every call; without images {@code x[i] = (37 i + 11) mod 256}, as every peer.
     */
    private final class Case {
        final CompiledModel model;
        final int rows;
        final Predictor predictor;
        final float[] in;
        float[] out;
        boolean warm;
        final int samples;
        int next;

        Case(CompiledModel model, int rows, int threads) {
            this.model = model;
            this.rows = rows;
            this.predictor = rows == 1 ? null : model.newPredictor(execs.computeIfAbsent(threads, Exec::threads), rows);
            int size = model.spec().inputSize();
            this.in = new float[rows * size];
            for (int i = 0; i < in.length; i++) {
                in[i] = pool == null ? (37L * i + 11) % 256 : pool[i % pool.length];
            }
            this.samples = pool == null ? 1 : pool.length / size;
            this.out = new float[rows * model.spec().outputSize()];
        }

        void runOnce() {
            if (predictor == null && samples > 1) {
                // The next image each call, copied into the same array: what an application
                // classifying a stream of images does; the copy is in the time.
                int size = in.length;
                System.arraycopy(pool, next * size, in, 0, size);
                next = next + 1 == samples ? 0 : next + 1;
                out = model.predict(in);
            } else if (predictor == null) {
                out = model.predict(in);
            } else {
                predictor.predict(in, 0, rows, out, 0);
            }
        }

        long time(int calls) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                runOnce();
            }
            return System.nanoTime() - t0;
        }
    }

    private Case prepare(CompiledModel model, int rows, int t) {
        return new Case(model, rows, t);
    }

    /** At least {@link BenchCommand#WARMUP_RUNS} calls and {@link BenchCommand#WARMUP_NANOS}: C2 must have compiled the kernels. */
    private static void warmUp(Case c) {
        long start = System.nanoTime();
        for (int i = 0; i < BenchCommand.WARMUP_RUNS || System.nanoTime() - start < BenchCommand.WARMUP_NANOS; i++) {
            c.runOnce();
        }
        c.warm = true;
    }
}
