package nnc.compiler.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import nnc.runtime.bench.Operands;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.ConvAlgorithm;
import nnc.runtime.kernels.ConvAlgorithm.Pass;
import nnc.runtime.kernels.ConvCost;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc bench gemm M N K}: kernel throughput against this machine's measured FMA peak. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the speed of kernels, training steps or predictions.",
            "gemm, conv: a kernel's GFLOP/s and its fraction of this machine's FMA peak;",
            "fusion: training steps with and without operator fusion; infer: prediction",
            "latency and throughput."},
        subcommands = {BenchCommand.GemmBench.class, BenchCommand.ConvBench.class, FusionBenchCommand.class,
            InferBenchCommand.class,
            FusionBenchCommand.Side.class,
            BenchCommand.Serve.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to measure: gemm, conv, fusion or infer");
    }

    /** Shared timing options. */
    static class Timing {
        @Option(names = "--threads", paramLabel = "T", description = "Threads (default: all cores).")
        Integer threads;

        @Option(names = "--repeat", paramLabel = "R", defaultValue = "30", description = "Timed runs (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--no-peak", description = "Skip measuring the FMA peak.")
        boolean noPeak;

        Exec exec() {
            return threads != null ? Exec.threads(threads) : Exec.allCores();
        }
    }

    /** Warm-up: C2 must have compiled every kernel path; until then the Vector API runs slow. */
    static final long WARMUP_NANOS = 2_000_000_000L;
    static final int WARMUP_RUNS = 300;

    /** Median, min and max seconds of {@code repeat} runs after a warm-up. */
    static double[] time(int repeat, Runnable r) {
        long warm = System.nanoTime();
        for (int runs = 0; runs < WARMUP_RUNS || System.nanoTime() - warm < WARMUP_NANOS; runs++) {
            r.run();
        }
        return sample(repeat, r);
    }

    /** Median, min and max seconds of {@code repeat} runs, as they come (no warm-up). */
    static double[] sample(int repeat, Runnable r) {
        double[] t = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return new double[] {t[repeat / 2], t[0], t[repeat - 1]};
    }

    /** One GEMM of random operands, {@code C = op(A) . op(B)} with op a transpose or not. */
    static Runnable gemm(Exec ex, boolean ta, boolean tb, int m, int n, int k, SplittableRandom rng) {
        float[] a = Operands.random(m * k, rng);
        float[] b = Operands.random(k * n, rng);
        float[] c = new float[m * n];
        Kernels kn = Kernels.active();
        return () -> kn.gemm(ex, ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, false, Epilogue.NONE);
    }

    static void report(String what, double flops, double[] t, Exec exec, boolean peak) {
        double g = flops / t[0] / 1e9;
        System.out.printf(Locale.ROOT, "%s: %.1f GFLOP/s median (%.1f..%.1f), %.3f ms median, %d thread%s, %s kernels%n",
                what, g, flops / t[2] / 1e9, flops / t[1] / 1e9, t[0] * 1e3, exec.threads(),
                exec.threads() == 1 ? "" : "s", Kernels.backend().name());
        if (peak && Kernels.backend().name().equals("simd")) {
            double p = Peak.gflops(exec, exec.threads());
            System.out.printf(Locale.ROOT, "FMA peak measured: %.1f GFLOP/s on %d thread%s; this kernel reaches %.0f%% of it%n",
                    p, exec.threads(), exec.threads() == 1 ? "" : "s", 100 * g / p);
        }
    }

    @Command(name = "gemm", mixinStandardHelpOptions = true, description = "C[M,N] = A[M,K] . B[K,N] (or a transposed variant).")
    static final class GemmBench implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "M")
        int m;

        @Parameters(index = "1", paramLabel = "N")
        int n;

        @Parameters(index = "2", paramLabel = "K")
        int k;

        @Option(names = "--layout", paramLabel = "NN|NT|TN", defaultValue = "NN",
                description = "Transposes: NN = A.B, NT = A.B^T, TN = A^T.B (default: ${DEFAULT-VALUE}).")
        String layout;

        @picocli.CommandLine.Mixin
        Timing timing = new Timing();

        @Override
        public Integer call() {
            boolean ta = layout.charAt(0) == 'T';
            boolean tb = layout.charAt(1) == 'T';
            try (Exec exec = timing.exec()) {
                double[] t = time(timing.repeat, gemm(exec, ta, tb, m, n, k, new SplittableRandom(1)));
                report(String.format("gemm %s %dx%dx%d", layout, m, n, k), 2.0 * m * n * k, t, exec, !timing.noPeak);
            }
            return Main.OK;
        }
    }

    /**
     * The tutorial CNN's two convolutions at a batch size, forward and backward, as PyTorch
     * trains them: layer 1 (1 -> 32 channels, 28 x 28) forward, bias and weight gradients
     * (no input gradient: its input is the data); layer 2 (32 -> 64, 13 x 13) forward and
     * all three gradients.
     */
    @Command(name = "conv", mixinStandardHelpOptions = true,
            description = {"Time the tutorial CNN's two conv layers, forward and backward, at a batch size.",
                "The layers: 1->32 channels on 28x28 and 32->64 on 13x13, 3x3 kernels;",
                "backward: the data, weight and bias gradients."})
    static final class ConvBench implements Callable<Integer> {
        @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @picocli.CommandLine.Mixin
        Timing timing = new Timing();

        @Option(names = "--parts", description = "Also time each part (forward, gradients) on its own and show "
                + "which algorithm each uses.")
        boolean parts;

        @Option(names = "--algorithm", paramLabel = "gemm|winograd|direct", description = "Run every pass that can with this "
                + "algorithm (default: each pass as the compiler would choose it).")
        String algorithm;

        @Override
        public Integer call() {
            try (Exec exec = timing.exec()) {
                List<Part> all = parts(exec);
                double[] t = time(timing.repeat, step(all));
                report("conv fwd+bwd, 2 layers, batch " + batch, flops(batch), t, exec, !timing.noPeak);
                if (parts) {
                    System.out.printf(Locale.ROOT, "%-48s %10s %10s %10s%n", "part", "ms", "min ms", "GFLOP/s");
                    for (Part part : all) {
                        double[] pt = time(timing.repeat, part.run());
                        System.out.printf(Locale.ROOT, "%-48s %10.3f %10.3f %10.1f%n", part.name(), pt[0] * 1e3,
                                pt[1] * 1e3, part.flops() / pt[0] / 1e9);
                    }
                }
            }
            return Main.OK;
        }

        /** Forward: 2*N*O*P*K each; backward: weights for both layers, data for layer 2. */
        static double flops(int n) {
            ConvGeom g1 = Operands.CONV1;
            ConvGeom g2 = Operands.CONV2;
            return 2.0 * n * (2.0 * g1.o() * g1.p() * g1.k() + 3.0 * g2.o() * g2.p() * g2.k());
        }

        /** One kernel call of the benchmark: its name, floating-point operations and the call. */
        record Part(String name, double flops, Runnable run) {
        }

        /** One forward + backward of the two layers. */
        Runnable step(Exec exec) {
            return step(parts(exec));
        }

        private static Runnable step(List<Part> parts) {
            Runnable[] runs = parts.stream().map(Part::run).toArray(Runnable[]::new);
            return () -> {
                for (Runnable r : runs) {
                    r.run();
                }
            };
        }

        /** The kernel calls of one forward + backward, in training order, buffers allocated once. */
        List<Part> parts(Exec exec) {
            ConvGeom g1 = Operands.CONV1;
            ConvGeom g2 = Operands.CONV2;
            int n = batch;
            SplittableRandom rng = new SplittableRandom(2);
            float[] x1 = Operands.random(n * g1.inSize(), rng);
            float[] w1 = Operands.random(g1.weightSize(), rng);
            float[] b1 = Operands.random(g1.o(), rng);
            float[] y1 = new float[n * g1.outSize()];
            float[] dy1 = Operands.random(n * g1.outSize(), rng);
            float[] dw1 = new float[g1.weightSize()];
            float[] db1 = new float[g1.o()];
            float[] x2 = Operands.random(n * g2.inSize(), rng);
            float[] w2 = Operands.random(g2.weightSize(), rng);
            float[] b2 = Operands.random(g2.o(), rng);
            float[] y2 = new float[n * g2.outSize()];
            float[] dy2 = Operands.random(n * g2.outSize(), rng);
            float[] dx2 = new float[n * g2.inSize()];
            float[] dw2 = new float[g2.weightSize()];
            float[] db2 = new float[g2.o()];
            Kernels k = Kernels.active();
            Epilogue e1 = k.epilogue(0).bias(b1, 0, g1.p(), g1.o()).build();
            Epilogue e2 = k.epilogue(0).bias(b2, 0, g2.p(), g2.o()).build();
            double f1 = 2.0 * n * g1.o() * g1.p() * g1.k();
            double f2 = 2.0 * n * g2.o() * g2.p() * g2.k();
            ConvAlgorithm f1a = algorithm(g1, Pass.FORWARD);
            ConvAlgorithm f2a = algorithm(g2, Pass.FORWARD);
            ConvAlgorithm d2a = algorithm(g2, Pass.DATA);
            ConvAlgorithm w1a = algorithm(g1, Pass.WEIGHTS);
            ConvAlgorithm w2a = algorithm(g2, Pass.WEIGHTS);
            return List.of(
                    new Part("conv1 forward + bias (" + f1a.label(g1) + ")", f1,
                            () -> k.conv2d(exec, g1, f1a, n, x1, 0, w1, 0, y1, 0, e1)),
                    new Part("conv2 forward + bias (" + f2a.label(g2) + ")", f2,
                            () -> k.conv2d(exec, g2, f2a, n, x2, 0, w2, 0, y2, 0, e2)),
                    new Part("conv2 weight + bias gradient (" + w2a.label(g2) + ")", f2,
                            () -> k.conv2dBackwardWeights(exec, g2, w2a, n, dy2, 0, x2, 0, dw2, 0, db2, 0)),
                    new Part("conv2 input gradient (" + d2a.label(g2) + ")", f2,
                            () -> k.conv2dBackwardData(exec, g2, d2a, n, dy2, 0, w2, 0, dx2, 0, Epilogue.NONE)),
                    new Part("conv1 weight + bias gradient (" + w1a.label(g1) + ")", f1,
                            () -> k.conv2dBackwardWeights(exec, g1, w1a, n, dy1, 0, x1, 0, dw1, 0, db1, 0)));
        }

        /** The algorithm {@code --algorithm} asks for where it applies, else the compiler's choice. */
        private ConvAlgorithm algorithm(ConvGeom g, Pass pass) {
            if (algorithm == null) {
                return ConvCost.choose(g, pass);
            }
            ConvAlgorithm a = ConvAlgorithm.valueOf(algorithm.toUpperCase(Locale.ROOT));
            return a.applies(g, pass) ? a : ConvAlgorithm.GEMM;
        }
    }

    /**
     * For side-by-side comparisons (bench/compare.py): reads one request per line on standard
     * input and answers with the median seconds of that many runs, so a peer can be timed in
     * between in the same process lifetime, alternating. Requests:
     * {@code gemm LAYOUT M N K THREADS RUNS}, {@code conv BATCH THREADS RUNS}, {@code quit}.
     */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Answer timing requests on standard input (used by bench/compare.py).")
    static final class Serve implements Callable<Integer> {
        private final java.util.Map<String, Runnable> prepared = new java.util.HashMap<>();
        private final java.util.Map<Integer, Exec> execs = new java.util.HashMap<>();

        @Override
        public Integer call() throws java.io.IOException {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().split("\\s+");
                if (w.length == 0 || w[0].isEmpty()) {
                    continue;
                }
                if (w[0].equals("quit")) {
                    break;
                }
                try {
                    int runs = Integer.parseInt(w[w.length - 1]);
                    Runnable r = prepared.computeIfAbsent(String.join(" ", java.util.Arrays.copyOf(w, w.length - 1)),
                            key -> prepare(w));
                    System.out.println(sample(runs, r)[0]);
                } catch (RuntimeException e) {
                    System.out.println("error " + e.getMessage());
                }
                System.out.flush();
            }
            execs.values().forEach(Exec::close);
            return Main.OK;
        }

        private Exec exec(int threads) {
            return execs.computeIfAbsent(threads, Exec::threads);
        }

        private Runnable prepare(String[] w) {
            if (w[0].equals("gemm")) {
                return gemm(exec(Integer.parseInt(w[5])), w[1].charAt(0) == 'T', w[1].charAt(1) == 'T',
                        Integer.parseInt(w[2]), Integer.parseInt(w[3]), Integer.parseInt(w[4]), new SplittableRandom(3));
            }
            if (w[0].equals("conv")) {
                ConvBench cb = new ConvBench();
                cb.batch = Integer.parseInt(w[1]);
                return cb.step(exec(Integer.parseInt(w[2])));
            }
            throw new IllegalArgumentException("unknown request " + w[0]);
        }
    }
}
