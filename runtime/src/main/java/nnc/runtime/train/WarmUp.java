package nnc.runtime.train;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import nnc.runtime.data.Dataset;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Inference;
import nnc.runtime.model.Training;

/**
 * Training steps before the first epoch, so that it is not the one that pays for C2 compiling
 * the kernels: until C2 has compiled a Vector API loop it runs on the API's Java fallback,
 * several times slower, and which allocates. The warm-up steps on the first batch of the
 * training data (read in order, augmented with the warm-up's own random numbers: the run's
 * shuffling and augmentation draw nothing less), in
 * windows of {@value #WINDOW} steps, until a window allocates under {@value #QUIET_BYTES}
 * bytes per step on the kernel threads (the fallbacks are gone) or a time limit has passed.
 * Then the parameters, optimizer state and step count are put back
 * ({@link Training#save()}/{@link Training#restore}), so the run trains exactly as it would
 * have without it. The caller prints its cost; it is not part of any epoch's time.
 *
 * <p>The steps apply the data's augmentation (crops, flips) with the warm-up's own random
 * numbers, and {@link #run(Training, Dataset, CompiledModel, Dataset, double)} then evaluates
 * the first validation batch a few times: the first epoch otherwise also paid for compiling
 * the augmentation and the inference kernels its validation runs (after the direct convolution
 * and faster layout conversions, SimpleCNN's first epoch was 1.16x the later ones).
 *
 * <p>Measured on the tutorial CNN (docs/performance.md, "Warm-up"): a warm-up of a second or two
 * brings the first epoch from about 1.3x the later ones to within a few percent of them.
 */
public final class WarmUp {
    private WarmUp() {
    }

    static final int WINDOW = 10;
    static final int MIN_STEPS = 30;
    static final int QUIET_BYTES = 256;
    /**
     * How long the JIT must have finished no compilation, while the steps run, before the warm-up
     * ends. Steps that no longer allocate have left the Vector API's fallbacks, but C2 is still
     * compiling the code around the kernels (the generated step, the task hand-off): the MNIST
     * MLP's first epoch took 1.17-1.3x the later ones when the warm-up stopped there.
     */
    static final long QUIET_COMPILE_NANOS = 100_000_000L;
    /** Evaluations of the first validation batch after the steps: C2 compiles the inference kernels. */
    static final int EVALUATIONS = 20;

    /**
     * What a warm-up did: steps taken, evaluations of the first validation batch, seconds spent,
     * and whether the kernels went quiet before the limit.
     */
    public record Result(int steps, int evaluations, double seconds, boolean settled) {
    }

    /**
     * As {@link #run(Training, Dataset, double)}, then evaluates {@code model} on the first
     * batch of {@code val} (when there is one) {@value #EVALUATIONS} times or until
     * {@code maxSeconds} have passed in all. Evaluation changes no parameter.
     */
    public static Result run(Training training, Dataset data, CompiledModel model, Dataset val, double maxSeconds) {
        return run(training, data, model, val, maxSeconds, () -> false);
    }

    /** As above, ending early (the model restored) as soon as {@code stop} says so: Ctrl-C during the warm-up. */
    public static Result run(Training training, Dataset data, CompiledModel model, Dataset val, double maxSeconds,
                             BooleanSupplier stop) {
        Result steps = run(training, data, maxSeconds, stop);
        if (val == null || val.size() == 0) {
            return steps;
        }
        long t0 = System.nanoTime();
        long left = (long) ((maxSeconds - steps.seconds()) * 1e9);
        Dataset first = val.slice(0, Math.min(val.size(), Trainer.EVAL_BATCH));
        Inference inf = null;
        int evaluations = 0;
        while (evaluations < EVALUATIONS && System.nanoTime() - t0 < left && !stop.getAsBoolean()) {
            inf = inf == null ? model.newInference(training.exec(), first.size()) : inf;
            Trainer.evaluate(model, inf, first);
            evaluations++;
        }
        return new Result(steps.steps(), evaluations, steps.seconds() + (System.nanoTime() - t0) / 1e9,
                steps.settled());
    }

    /**
     * Steps {@code training} on {@code data}'s first batch until its kernels are compiled or
     * {@code maxSeconds} have passed, then restores it.
     */
    public static Result run(Training training, Dataset data, double maxSeconds) {
        return run(training, data, maxSeconds, () -> false);
    }

    private static Result run(Training training, Dataset data, double maxSeconds, BooleanSupplier stop) {
        if (data.size() == 0) {
            return new Result(0, 0, 0, true);
        }
        Training.State saved = training.save();
        long t0 = System.nanoTime();
        int steps = 0;
        boolean settled = false;
        try {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            com.sun.management.ThreadMXBean alloc = mx instanceof com.sun.management.ThreadMXBean m
                    && m.isThreadAllocatedMemorySupported() ? m : null;
            long[] ids = threadIds(training);
            int rows = Math.min(training.batch(), data.size());
            float[] arena = training.arena();
            SplittableRandom rng = new SplittableRandom(0);
            long limit = (long) (maxSeconds * 1e9);
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
            long compiled = timed ? jit.getTotalCompilationTime() : 0;
            long compiledAt = System.nanoTime();
            boolean late = false;
            while (!late) {
                long before = alloc == null ? 0 : sum(alloc.getThreadAllocatedBytes(ids));
                for (int i = 0; i < WINDOW && !late; i++) {
                    data.copyBatch(null, 0, rows, arena, training.inputOffset(), arena, training.targetOffset(),
                            data.hasAugment(), rng);
                    training.step(rows);
                    steps++;
                    late = System.nanoTime() - t0 >= limit || stop.getAsBoolean();
                }
                long bytes = alloc == null ? Long.MAX_VALUE : sum(alloc.getThreadAllocatedBytes(ids)) - before;
                long now = System.nanoTime();
                long total = timed ? jit.getTotalCompilationTime() : 0;
                if (total != compiled) {
                    compiled = total;
                    compiledAt = now;
                }
                if (!late && steps >= MIN_STEPS && bytes < (long) QUIET_BYTES * WINDOW
                        && now - compiledAt >= QUIET_COMPILE_NANOS) {
                    settled = true;
                    break;
                }
            }
        } finally {
            training.restore(saved);
            training.resetProfile();
        }
        return new Result(steps, 0, (System.nanoTime() - t0) / 1e9, settled);
    }

    private static long[] threadIds(Training training) {
        long[] workers = training.exec().workerThreadIds();
        long[] ids = new long[workers.length + 1];
        ids[0] = Thread.currentThread().threadId();
        System.arraycopy(workers, 0, ids, 1, workers.length);
        return ids;
    }

    private static long sum(long[] bytes) {
        long s = 0;
        for (long b : bytes) {
            s += Math.max(0, b);
        }
        return s;
    }
}
