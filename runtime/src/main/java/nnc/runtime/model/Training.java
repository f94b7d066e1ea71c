package nnc.runtime.model;

import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.DropoutMask;
import nnc.runtime.kernels.SparseRows;
import nnc.runtime.kernels.StepKey;

/**
 * The training side of a compiled model at one batch size: the arena laid out by the memory
 * plan, the gradients and the optimizer state. Generated code fills in {@link #forward},
 * {@link #lossAndGrad}, {@link #backward} and {@link #update}; a step allocates nothing.
 *
 * <p>Use: write up to {@link #batch} samples at {@link #inputOffset()} and their targets at
 * {@link #targetOffset()} in {@link #arena()}, then call {@link #step(int)}.
 */
public abstract class Training {
    protected final CompiledModel model;
    protected final Exec exec;
    protected final int batch;
    protected final float[] arena;
    protected final float[] params;
    protected final float[] grads;
    /** Optimizer state: momentum buffer (SGD), first and second moments (Adam). */
    protected final float[] state1;
    protected final float[] state2;
    /** The dropout key of the current step; forward and backward read the same one. */
    protected final StepKey stepKey = new StepKey();
    /**
     * The model input of the current step taken in as a sparse matrix when most of it is one
     * value; the first linear layer's forward fills it, its weight gradient reads it.
     */
    protected final SparseRows inputRows = new SparseRows();
    /** {@code [summed loss, rows predicted right]} of the last step. */
    protected final float[] stats = new float[2];
    protected float lr;
    protected long steps;
    private final long seed;
    /** Nanoseconds spent in each kernel, when compiled with profiling (else empty). */
    protected final long[] kernelNanos = new long[kernelNames().length];
    private KernelProbe probe;
    private int rows;

    /**
     * @param arenaPerSample floats per sample of the arena's batch-scaled region
     * @param arenaFixed floats of its fixed region
     */
    protected Training(CompiledModel model, Exec exec, int batch, int arenaPerSample, int arenaFixed, int stateArrays,
                       long seed, float lr) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.model = model;
        this.exec = exec;
        this.batch = batch;
        this.arena = new float[ArenaTooLargeException.arenaFloats("training", arenaPerSample, batch, arenaFixed)];
        this.params = model.params;
        this.grads = new float[model.spec.trainableCount()];
        this.state1 = stateArrays >= 1 ? new float[grads.length] : new float[0];
        this.state2 = stateArrays >= 2 ? new float[grads.length] : new float[0];
        this.seed = seed;
        this.lr = lr;
    }

    public final int batch() {
        return batch;
    }

    public final float[] arena() {
        return arena;
    }

    public final float[] gradients() {
        return grads;
    }

    public final Exec exec() {
        return exec;
    }

    public final float learningRate() {
        return lr;
    }

    public final void setLearningRate(float lr) {
        this.lr = lr;
    }

    public final long steps() {
        return steps;
    }

    /** Where the input samples go in {@link #arena()}: {@code [batch, inputSize]}. */
    public abstract int inputOffset();

    /** Where the targets go: {@code [batch, targetSize]}. */
    public abstract int targetOffset();

    /** Where forward leaves the model's output: {@code [batch, outputSize]}. */
    public abstract int outputOffset();

    /**
     * One optimisation step on the first {@code n} samples in the arena.
     *
     * @return the loss summed over the {@code n} samples
     */
    public final float step(int n) {
        computeGradients(n);
        update();
        model.paramsChanged();
        return stats[0];
    }

    /** Forward, loss and backward without the update: leaves the gradients in {@link #gradients()}. */
    public final float computeGradients(int n) {
        checkRows(n);
        rows = n;
        stepKey.set(DropoutMask.key(seed, steps++));
        forward(n);
        lossAndGrad(n);
        backward(n);
        return stats[0];
    }

    /**
     * The gradients of one share of step {@code step}'s batch (0-based, the step count before
     * it): what a data-parallel worker computes with the parameters of that step. Dropout keys
     * follow the step as in {@link #step}, and {@code positions[i]} is where row i sits in the
     * whole batch, so each sample draws the dropout mask it draws in single-process training
     * (null: the rows are the batch). The step count is left at {@code step + 1}.
     */
    public final float computeGradients(int n, long step, int[] positions) {
        if (positions != null && positions.length < n) {
            throw new IllegalArgumentException("positions for " + positions.length + " rows, not " + n);
        }
        steps = step;
        stepKey.setRows(positions);
        try {
            return computeGradients(n);
        } finally {
            stepKey.setRows(null);
        }
    }

    /**
     * One optimizer step with gradients computed elsewhere ({@code g}: the mean over the batch,
     * as {@link #computeGradients} leaves them), by the same update code as {@link #step}: how a
     * data-parallel driver applies the workers' summed gradients.
     */
    public final void applyGradients(float[] g) {
        if (g.length != grads.length) {
            throw new IllegalArgumentException("expected " + grads.length + " gradients, got " + g.length);
        }
        System.arraycopy(g, 0, grads, 0, g.length);
        steps++;
        update();
        model.paramsChanged();
    }

    /** Rows of the last step (how much of each batch-scaled buffer it wrote). */
    public final int rows() {
        return rows;
    }

    /** Parameters, then the optimizer's state arrays: everything that must stay finite. */
    public final float[][] stateArrays() {
        return new float[][] {params, state1, state2};
    }

    /** Everything a step changes that outlives it: parameters, optimizer state, step count, rate. */
    public record State(float[] params, float[] state1, float[] state2, long steps, float lr) {
    }

    /** A copy of the state that steps change, for {@link #restore} (profiling runs extra steps). */
    public final State save() {
        return new State(params.clone(), state1.clone(), state2.clone(), steps, lr);
    }

    /** Puts back a state from {@link #save()}: the steps since then leave no trace in the model. */
    public final void restore(State s) {
        if (s.params().length != params.length || s.state1().length != state1.length
                || s.state2().length != state2.length) {
            throw new IllegalArgumentException("the saved state is for another model or optimizer");
        }
        System.arraycopy(s.params(), 0, params, 0, params.length);
        model.paramsChanged();
        System.arraycopy(s.state1(), 0, state1, 0, state1.length);
        System.arraycopy(s.state2(), 0, state2, 0, state2.length);
        steps = s.steps();
        lr = s.lr();
    }

    /**
     * Names of the kernels a profiled build times, in order (empty when not profiled). Called
     * from the constructor: implementations return a constant.
     */
    public String[] kernelNames() {
        return new String[0];
    }

    /** Time per kernel since the last {@link #resetProfile()}, in nanoseconds. */
    public final long[] kernelNanos() {
        return kernelNanos.clone();
    }

    public final void resetProfile() {
        java.util.Arrays.fill(kernelNanos, 0);
    }

    /** Adds the time since {@code t} to kernel {@code k} and returns now: {@code t = lap(3, t);}. */
    protected final long lap(int k, long t) {
        long now = System.nanoTime();
        kernelNanos[k] += now - t;
        if (probe != null) {
            probe.afterKernel(k);
        }
        return now;
    }

    /**
     * Looks at the buffers after each kernel of a profiled build (the kernels of
     * {@link #kernelNames()}, the optimizer last): how a diverged run finds the first layer whose
     * output or gradient went non-finite. Null removes it.
     */
    public interface KernelProbe {
        void afterKernel(int kernel);
    }

    public final void setKernelProbe(KernelProbe probe) {
        this.probe = probe;
    }

    /** Rows predicted right in the last step (classification), else 0. */
    public final float lastCorrect() {
        return stats[1];
    }

    private void checkRows(int n) {
        if (n < 1 || n > batch) {
            throw new IllegalArgumentException("rows must be in [1, " + batch + "], got " + n);
        }
    }

    /** Runs the network in training mode (dropout on, batch statistics) on {@code n} rows. */
    protected abstract void forward(int n);

    /** Loss of the output against the targets, into {@link #stats}, and the output gradient. */
    protected abstract void lossAndGrad(int n);

    /** Gradients of every trainable tensor into {@link #grads}. */
    protected abstract void backward(int n);

    /** One optimizer step with the current learning rate. */
    protected abstract void update();
}
