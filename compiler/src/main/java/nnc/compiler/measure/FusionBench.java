package nnc.compiler.measure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import nnc.runtime.model.Training;

/**
 * Fused against unfused training steps of one model, side by side: both sides step on the same
 * batch, alternating in rounds (the order flips every round), so a noisy machine slows both
 * alike. Each round gives a ratio, unfused time over fused time.
 *
 * <p>Each side runs in its own JVM ({@link Side}): in one JVM the two builds share the kernel
 * methods, and the JIT's type profiles then see both builds' epilogue classes, so call sites
 * that each build alone keeps monomorphic (and inlined) become megamorphic and both sides
 * measure slower than either runs in a real training.
 */
public final class FusionBench {
    private FusionBench() {
    }

    /** Something that steps a training build and says how long a step took. */
    public interface StepTimer {
        double msPerStep(int steps) throws IOException;
    }

    /** Milliseconds per step of each side (median, min, max over rounds) and the ratio's. */
    public record Result(double[] fusedMs, double[] unfusedMs, double[] ratio, int rounds, int steps) {
    }

    /**
     * @param progress called with the number of rounds done
     */
    public static Result run(StepTimer fused, StepTimer unfused, int rounds, int steps, IntConsumer progress)
            throws IOException {
        double[] f = new double[rounds];
        double[] u = new double[rounds];
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                f[i] = fused.msPerStep(steps);
                u[i] = unfused.msPerStep(steps);
            } else {
                u[i] = unfused.msPerStep(steps);
                f[i] = fused.msPerStep(steps);
            }
            r[i] = u[i] / f[i];
            progress.accept(i + 1);
        }
        return new Result(stats(f), stats(u), stats(r), rounds, steps);
    }

    /** Enough steps for C2 to compile every kernel path (see {@link StepProfiler}). */
    public static void warm(Training t) {
        long start = System.nanoTime();
        int done = 0;
        while (done < StepProfiler.MIN_WARMUP || System.nanoTime() - start < 2_000_000_000L) {
            t.step(t.batch());
            done++;
        }
    }

    /** Milliseconds per step over {@code steps} steps. */
    public static double time(Training t, int steps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            t.step(t.batch());
        }
        return (System.nanoTime() - t0) / 1e6 / steps;
    }

    /** Median, min, max. */
    static double[] stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return new double[] {s[s.length / 2], s[0], s[s.length - 1]};
    }

    /**
     * One side in a child JVM started with this JVM's executable, options and class path,
     * running {@code args} (a command that prints {@code ready} once warm, then answers each
     * line holding a step count with milliseconds per step).
     */
    public static final class Side implements StepTimer, AutoCloseable {
        private final Process process;
        private final PrintWriter to;
        private final BufferedReader from;
        private final java.nio.file.Path log;

        public Side(String mainClass, List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(mainClass);
            cmd.addAll(args);
            // Its standard error (the JVM's incubator warning, or a failure) goes to a file,
            // shown only if the process fails.
            log = java.nio.file.Files.createTempFile("nnc-bench-", ".log");
            log.toFile().deleteOnExit();
            process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            to = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
            from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = readLine();
            if (!first.equals("ready")) {
                throw new IOException("benchmark process: unexpected answer '" + first + "'");
            }
        }

        @Override
        public double msPerStep(int steps) throws IOException {
            to.println(steps);
            String answer = readLine();
            try {
                return Double.parseDouble(answer);
            } catch (NumberFormatException e) {
                throw new IOException("benchmark process: unexpected answer '" + answer + "'", e);
            }
        }

        private String readLine() throws IOException {
            String line = from.readLine();
            if (line == null) {
                String err;
                try {
                    process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                    err = java.nio.file.Files.readString(log).strip();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    err = "";
                }
                throw new IOException("benchmark process ended (exit code "
                        + (process.isAlive() ? "?" : String.valueOf(process.exitValue())) + ")"
                        + (err.isEmpty() ? "" : ":\n" + err));
            }
            return line.trim();
        }

        @Override
        public void close() {
            to.close();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try {
                java.nio.file.Files.deleteIfExists(log);
            } catch (IOException e) {
                log.toFile().deleteOnExit();
            }
        }
    }
}
