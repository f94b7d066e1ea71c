package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;

/**
 * The loss facade: losses and softmax row by row, {@link LossTasks#ROWS_PER_TASK} rows per
 * task; partial sums are added in row order, so the result does not depend on the threads.
 *
 * <p>Shapes: N batch rows, C columns (classes or outputs).
 */
public interface LossKernels extends KernelFamily {
    /** Which loss kernel a {@link #loss} call runs. */
    enum Loss {
        SOFTMAX_CROSS_ENTROPY, NLL, SIGMOID_BCE, BCE, MSE
    }

    /**
     * Runs a loss over {@code [n, cols]} outputs and their targets; writes the gradient
     * (scaled by {@code 1/n}) when {@code g != null}. {@code stats[0]} receives the summed
     * loss and {@code stats[1]} the rows predicted right.
     */
    default void loss(Exec ex, Loss kind, float[] y, int yOff, int n, int cols, float[] t, int tOff,
                      float[] g, int gOff, float[] stats) {
        LossTasks.LOSS.get(ex, backendOf()).call(ex, kind, y, yOff, n, cols, t, tOff, g, gOff, stats);
    }

    /** {@code y[N, C] = softmax(x)} row by row. */
    default void softmax(Exec ex, float[] x, int xOff, int n, int cols, float[] y, int yOff) {
        LossTasks.ROWS.get(ex, backendOf()).call(ex, false, x, xOff, null, 0, n, cols, y, yOff);
    }

    /** {@code dx[N, C] = y * (dy - rowsum(dy * y))}. */
    default void softmaxGrad(Exec ex, float[] dy, int dyOff, float[] y, int yOff, int n, int cols, float[] dx, int dxOff) {
        LossTasks.ROWS.get(ex, backendOf()).call(ex, true, dy, dyOff, y, yOff, n, cols, dx, dxOff);
    }
}
