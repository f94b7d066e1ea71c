package nnc.compiler.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import nnc.runtime.bench.Peak;
import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc bench gemm M N K}: kernel throughput against this machine's measured FMA peak. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a kernel's GFLOP/s and its fraction of this machine's FMA peak.",
        subcommands = {BenchCommand.GemmBench.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say which kernel: gemm");
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

    /** Median, min and max seconds of {@code repeat} runs after a warm-up. */
    static double[] time(int repeat, Runnable r) {
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 1_000_000_000L) {
            r.run();
        }
        double[] t = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return new double[] {t[repeat / 2], t[0], t[repeat - 1]};
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
            if (m < 1 || n < 1 || k < 1 || !layout.matches("NN|NT|TN")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "M, N, K must be >= 1 and --layout one of NN, NT, TN");
            }
            boolean ta = layout.charAt(0) == 'T';
            boolean tb = layout.charAt(1) == 'T';
            SplittableRandom rng = new SplittableRandom(1);
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            float[] c = new float[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextDouble(-1, 1);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rng.nextDouble(-1, 1);
            }
            Kernels kn = Kernels.active();
            try (Exec exec = timing.exec()) {
                double[] t = time(timing.repeat, () -> kn.gemm(exec, ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n,
                        c, 0, n, false, Epilogue.NONE));
                report(String.format("gemm %s %dx%dx%d", layout, m, n, k), 2.0 * m * n * k, t, exec, !timing.noPeak);
            }
            return Main.OK;
        }
    }
}
