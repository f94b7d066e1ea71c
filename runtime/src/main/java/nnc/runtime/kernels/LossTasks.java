package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/** The reusable tasks behind {@link LossKernels}. */
final class LossTasks {
    private LossTasks() {
    }

    /** Rows per task. */
    static final int ROWS_PER_TASK = 16;

    static final TaskSlot<Backend, LossTask> LOSS = new TaskSlot<>((ex, b) -> new LossTask(b.losses()));
    static final TaskSlot<Backend, RowsTask> ROWS = new TaskSlot<>((ex, b) -> new RowsTask(b.losses()));

    private static int tasks(int n) {
        return (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    }

    /** A loss over row blocks; each block's loss and correct count go to {@code partials}. */
    static final class LossTask implements Task {
        private final Losses losses;
        private LossKernels.Loss kind;
        private float[] y, t, g;
        private int yOff, n, cols, tOff, gOff;
        private float scale;
        private float[] partials = new float[0];
        private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[2]);

        LossTask(Losses losses) {
            this.losses = losses;
        }

        void call(Exec ex, LossKernels.Loss kind, float[] y, int yOff, int n, int cols, float[] t, int tOff,
                  float[] g, int gOff, float[] stats) {
            this.kind = kind;
            this.y = y;
            this.yOff = yOff;
            this.n = n;
            this.cols = cols;
            this.t = t;
            this.tOff = tOff;
            this.g = g;
            this.gOff = gOff;
            this.scale = 1f / n;
            int tasks = tasks(n);
            if (partials.length < 2 * tasks) {
                partials = new float[2 * tasks];
            }
            ex.run(tasks, this);
            double loss = 0;
            double correct = 0;
            for (int i = 0; i < tasks; i++) {
                loss += partials[2 * i];
                correct += partials[2 * i + 1];
            }
            stats[0] = (float) loss;
            stats[1] = (float) correct;
            this.y = this.t = this.g = null;
        }

        @Override
        public void run(int index, int worker) {
            int r0 = index * ROWS_PER_TASK;
            int r1 = Math.min(n, r0 + ROWS_PER_TASK);
            float[] out = scratch.get();
            switch (kind) {
                case SOFTMAX_CROSS_ENTROPY -> losses.softmaxCrossEntropy(y, yOff, r0, r1, cols, t, tOff, g, gOff, scale, out);
                case NLL -> losses.nll(y, yOff, r0, r1, cols, t, tOff, g, gOff, scale, out);
                case SIGMOID_BCE -> losses.sigmoidBinaryCrossEntropy(y, yOff, r0, r1, cols, t, tOff, g, gOff, scale, out);
                case BCE -> losses.binaryCrossEntropy(y, yOff, r0, r1, cols, t, tOff, g, gOff, scale, out);
                case MSE -> losses.meanSquaredError(y, yOff, r0, r1, cols, t, tOff, g, gOff, scale, out);
            }
            partials[2 * index] = out[0];
            partials[2 * index + 1] = out[1];
        }
    }

    /** Softmax or its gradient over row blocks. */
    static final class RowsTask implements Task {
        private final Losses losses;
        private boolean grad;
        private int aOff, bOff, n, cols, oOff;
        private float[] a, b, out;

        RowsTask(Losses losses) {
            this.losses = losses;
        }

        void call(Exec ex, boolean grad, float[] a, int aOff, float[] b, int bOff, int n, int cols, float[] out,
                  int oOff) {
            this.grad = grad;
            this.a = a;
            this.aOff = aOff;
            this.b = b;
            this.bOff = bOff;
            this.n = n;
            this.cols = cols;
            this.out = out;
            this.oOff = oOff;
            ex.run(tasks(n), this);
            this.a = this.b = this.out = null;
        }

        @Override
        public void run(int index, int worker) {
            int r0 = index * ROWS_PER_TASK;
            int r1 = Math.min(n, r0 + ROWS_PER_TASK);
            if (grad) {
                losses.softmaxGrad(a, aOff, b, bOff, r0, r1, cols, out, oOff);
            } else {
                losses.softmax(a, aOff, r0, r1, cols, out, oOff);
            }
        }
    }
}
