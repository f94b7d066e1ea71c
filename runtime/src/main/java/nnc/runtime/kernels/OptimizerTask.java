package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/**
 * The reusable task behind {@link OptimizerKernels}: which update, its arrays {@code a..d} and
 * its scalars, in the order of the {@link Optimizers} method of the same name.
 */
final class OptimizerTask implements Task {
    /** Elements per task. */
    static final int CHUNK = 16384;

    static final TaskSlot<Backend, OptimizerTask> SLOT = new TaskSlot<>((ex, b) -> new OptimizerTask(b.optimizers()));

    enum Kind {
        SGD, ADAM, AXPY, SCALE, MOMENTUM, ADAM_MOMENTS, ADAM_APPLY
    }

    private final Optimizers opt;
    private Kind kind;
    private int count;
    private float[] a, b, c, d;
    private float f0, f1, f2, f3, f4, f5, f6;
    private boolean flag;

    OptimizerTask(Optimizers opt) {
        this.opt = opt;
    }

    /**
     * Runs one update over {@code [0, count)}: the arrays and scalars in the order of the
     * {@link Optimizers} method of the kind's name (unused ones null or 0).
     */
    void call(Exec ex, Kind kind, int count, float[] a, float[] b, float[] c, float[] d, float f0, float f1, float f2,
              float f3, float f4, boolean flag, float f5, float f6) {
        this.kind = kind;
        this.count = count;
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        this.f0 = f0;
        this.f1 = f1;
        this.f2 = f2;
        this.f3 = f3;
        this.f4 = f4;
        this.flag = flag;
        this.f5 = f5;
        this.f6 = f6;
        ex.run((count + CHUNK - 1) / CHUNK, this);
        this.a = this.b = this.c = this.d = null;
    }

    @Override
    public void run(int index, int worker) {
        int off = index * CHUNK;
        int len = Math.min(CHUNK, count - off);
        switch (kind) {
            case SGD -> opt.sgd(a, b, c, off, len, f0, f1, flag, f2);
            case ADAM -> opt.adam(a, b, c, d, off, len, f0, f1, f2, f3, f4, flag, f5, f6);
            case AXPY -> opt.axpy(a, b, off, len, f0);
            case SCALE -> opt.scale(a, off, len, f0);
            case MOMENTUM -> opt.momentum(a, b, off, len, f0);
            case ADAM_MOMENTS -> opt.adamMoments(a, b, c, off, len, f0, f1);
            case ADAM_APPLY -> opt.adamApply(a, b, c, off, len, f0, f1, f2, f3);
        }
    }
}
