package nnc.compiler.measure;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.data.Dataset;
import nnc.runtime.model.Training;

/**
 * Measures training steps in steady state: time per kernel (with a profiled build) and heap
 * bytes allocated per step on every thread that runs kernels, from the JVM's per-thread
 * allocation counters. One batch is loaded once and stepped on repeatedly, so only the step
 * itself is measured.
 *
 * <p>Warm-up is adaptive: until C2 has compiled every kernel path, the Vector API runs on its
 * Java fallbacks, which allocate (megabytes per step in the first hundreds of steps). Steps
 * run in windows of {@value #WINDOW}, at least {@value #MIN_WARMUP} of them, until one window
 * allocates under {@value #QUIET_BYTES} bytes per step, or {@value #MAX_WARMUP} steps have run.
 */
public final class StepProfiler {
    private StepProfiler() {
    }

    static final int WINDOW = 100;
    static final int QUIET_BYTES = 64;
    /** Steps before any measurement: tiered compilation of every kernel path. */
    static final int MIN_WARMUP = 600;
    static final int MAX_WARMUP = 6000;

    /** Per-kernel nanoseconds per step, heap bytes per step, the steps measured and warmed up. */
    public record Profile(List<String> kernels, double[] nanosPerStep, double bytesPerStep, int steps,
                          double stepNanos, int warmup) {
        public String render() {
            StringBuilder out = new StringBuilder();
            double total = 0;
            for (double v : nanosPerStep) {
                total += v;
            }
            out.append(String.format("%-72s %10s %7s%n", "kernel", "us/step", "share"));
            Integer[] order = new Integer[kernels.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(nanosPerStep[y], nanosPerStep[x]));
            for (int i : order) {
                String name = kernels.get(i);
                out.append(String.format("%-72s %10.1f %6.1f%%%n", name.length() > 72 ? name.substring(0, 69) + "..." : name,
                        nanosPerStep[i] / 1e3, 100 * nanosPerStep[i] / total));
            }
            out.append(String.format("%-72s %10.1f%n", "step (all kernels)", stepNanos / 1e3));
            out.append(String.format("heap allocated per training step after warm-up: %.0f bytes (%d steps after %d "
                    + "warm-up steps, all kernel threads)%n", bytesPerStep, steps, warmup));
            return out.toString();
        }
    }

    /**
     * Profiles {@code steps} steps after warm-up. The steps train on one batch over and over;
     * the model's parameters and optimizer state are put back afterwards, so a profiled run
     * saves, evaluates and exports the same model as one without {@code --profile}.
     */
    public static Profile measure(Training training, Dataset data, int steps, long[] workerIds) {
        Training.State saved = training.save();
        try {
            return run(training, data, steps, workerIds);
        } finally {
            training.restore(saved);
        }
    }

    private static Profile run(Training training, Dataset data, int steps, long[] workerIds) {
        int rows = load(training, data);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = new long[workerIds.length + 1];
        ids[0] = Thread.currentThread().threadId();
        System.arraycopy(workerIds, 0, ids, 1, workerIds.length);
        int warmup = 0;
        while (warmup < MAX_WARMUP) {
            long before = total(mx.getThreadAllocatedBytes(ids));
            for (int i = 0; i < WINDOW; i++) {
                training.step(rows);
            }
            warmup += WINDOW;
            if (warmup >= MIN_WARMUP && total(mx.getThreadAllocatedBytes(ids)) - before < (long) QUIET_BYTES * WINDOW) {
                break;
            }
        }
        training.resetProfile();
        long[] before = mx.getThreadAllocatedBytes(ids);
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            training.step(rows);
        }
        long elapsed = System.nanoTime() - t0;
        long[] after = mx.getThreadAllocatedBytes(ids);
        long bytes = 0;
        for (int i = 0; i < ids.length; i++) {
            bytes += after[i] - before[i];
        }
        long[] nanos = training.kernelNanos();
        double[] perStep = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            perStep[i] = nanos[i] / (double) steps;
        }
        return new Profile(new ArrayList<>(List.of(training.kernelNames())), perStep, bytes / (double) steps, steps,
                elapsed / (double) steps, warmup);
    }

    /** Copies the first batch of {@code data} into the training arena; returns its rows. */
    public static int load(Training t, Dataset data) {
        int rows = Math.min(t.batch(), data.size());
        float[] arena = t.arena();
        data.copyBatch(null, 0, rows, arena, t.inputOffset(), arena, t.targetOffset(), false, null);
        return rows;
    }

    private static long total(long[] bytes) {
        long t = 0;
        for (long b : bytes) {
            t += b;
        }
        return t;
    }
}
