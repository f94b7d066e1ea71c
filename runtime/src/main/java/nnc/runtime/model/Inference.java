package nnc.runtime.model;

import nnc.runtime.exec.Exec;
import nnc.runtime.kernels.SparseRows;
import nnc.runtime.kernels.TransposedCache;

/**
 * The inference side of a compiled model: a smaller arena (no gradients, no values kept for
 * backward), dropout off, batch norm on running statistics. One per thread; the parameters
 * are shared and only read.
 */
public abstract class Inference {
    protected final CompiledModel model;
    protected final Exec exec;
    protected final int capacity;
    protected final float[] arena;
    protected final float[] params;
    private final int arenaPerSample;
    /** {@code [summed loss, rows predicted right]} of the last {@link #loss} call. */
    protected final float[] stats = new float[2];
    /** One input row taken in as sparse by the first linear layer ({@code K.predictInputGemm}). */
    protected final SparseRows inputRows = new SparseRows();
    /** The model's weight layouts for sparse rows, shared by every thread. */
    protected final TransposedCache transposed;

    protected Inference(CompiledModel model, Exec exec, int capacity, int arenaPerSample, int arenaFixed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.model = model;
        this.exec = exec;
        this.capacity = capacity;
        this.arenaPerSample = arenaPerSample;
        this.arena = new float[ArenaTooLargeException.arenaFloats("inference", arenaPerSample, capacity, arenaFixed)];
        this.params = model.params;
        this.transposed = model.transposed;
    }

    public final int capacity() {
        return capacity;
    }

    /** Arena floats each sample of a batch takes: its activations. */
    public final int floatsPerSample() {
        return arenaPerSample;
    }

    public final float[] arena() {
        return arena;
    }

    public abstract int inputOffset();

    public abstract int outputOffset();

    public abstract int targetOffset();

    /** Runs the network on the first {@code n} samples at {@link #inputOffset()}. */
    public final void run(int n) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("rows must be in [1, " + capacity + "], got " + n);
        }
        forward(n);
    }

    /**
     * The loss of the last {@link #run} output against the targets at {@link #targetOffset()}:
     * {@code [summed loss, rows predicted right]}.
     */
    public final float[] loss(int n) {
        evaluateLoss(n);
        return stats;
    }

    protected abstract void forward(int n);

    protected abstract void evaluateLoss(int n);
}
