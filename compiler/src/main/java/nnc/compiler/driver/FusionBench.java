package nnc.compiler.driver;

import java.util.Arrays;
import java.util.function.IntConsumer;
import nnc.runtime.data.Dataset;
import nnc.runtime.model.Training;

/**
 * Fused against unfused training steps of one model, side by side in one JVM: both sides
 * step on the same batch, alternating in rounds (the order flips every round), so a noisy
 * machine slows both alike. Each round gives a ratio, unfused time over fused time.
 */
public final class FusionBench {
    private FusionBench() {
    }

    /** Milliseconds per step of each side (median, min, max over rounds) and the ratio's. */
    public record Result(double[] fusedMs, double[] unfusedMs, double[] ratio, int rounds, int steps) {
    }

    /**
     * @param progress called with the number of rounds done
     */
    public static Result run(Training fused, Training unfused, Dataset batch, int rounds, int steps,
                             IntConsumer progress) {
        load(fused, batch);
        load(unfused, batch);
        warm(fused);
        warm(unfused);
        double[] f = new double[rounds];
        double[] u = new double[rounds];
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                f[i] = time(fused, steps);
                u[i] = time(unfused, steps);
            } else {
                u[i] = time(unfused, steps);
                f[i] = time(fused, steps);
            }
            r[i] = u[i] / f[i];
            progress.accept(i + 1);
        }
        return new Result(stats(f), stats(u), stats(r), rounds, steps);
    }

    private static void load(Training t, Dataset batch) {
        int rows = Math.min(t.batch(), batch.size());
        float[] arena = t.arena();
        batch.copyBatch(null, 0, rows, arena, t.inputOffset(), arena, t.targetOffset(), false, null);
    }

    /** Enough steps for C2 to compile every kernel path (see {@link StepProfiler}). */
    private static void warm(Training t) {
        long start = System.nanoTime();
        int done = 0;
        while (done < StepProfiler.MIN_WARMUP || System.nanoTime() - start < 2_000_000_000L) {
            t.step(t.batch());
            done++;
        }
    }

    private static double time(Training t, int steps) {
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
}
