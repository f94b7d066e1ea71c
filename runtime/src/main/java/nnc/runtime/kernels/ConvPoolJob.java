package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/**
 * The reusable task behind {@link SpatialKernels#conv2dMaxPool}: splits the batch over an
 * {@link Exec}'s threads, in pieces of about a quarter of a thread's share as
 * {@link SpatialJob} does, and runs the backend's {@link DirectConvPool} on each piece. Its
 * fields are the arguments of the current call; each output depends on its sample alone, so
 * the split does not change any bit.
 */
final class ConvPoolJob implements Task {
    static final TaskSlot<Backend, ConvPoolJob> SLOT = new TaskSlot<>(ConvPoolJob::new);

    private final Exec ex;
    private final DirectConvPool kernel;
    private ConvGeom conv;
    private PoolGeom pool;
    private boolean relu;
    private int n;
    private int per;
    private float[] x;
    private int xOff;
    private float[] w;
    private int wOff;
    private float[] bias;
    private int bOff;
    private float[] y;
    private int yOff;
    private Epilogue epi;

    private ConvPoolJob(Exec ex, Backend backend) {
        this.ex = ex;
        this.kernel = backend.directPool();
    }

    @Override
    public void run(int index, int worker) {
        int b0 = index * per;
        int b1 = Math.min(n, b0 + per);
        kernel.forward(ex.workspace(worker), conv, pool, relu, b0, b1, x, xOff, w, wOff, bias, bOff, y, yOff, epi);
    }

    void forward(ConvGeom conv, PoolGeom pool, boolean relu, int n, float[] x, int xOff, float[] w, int wOff,
                 float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        if (!DirectConvPool.applies(conv, pool)) {
            throw new IllegalArgumentException("internal error: " + pool + " cannot be fused into " + conv);
        }
        if (n <= 0) {
            return;
        }
        this.conv = conv;
        this.pool = pool;
        this.relu = relu;
        this.n = n;
        this.x = x;
        this.xOff = xOff;
        this.w = w;
        this.wOff = wOff;
        this.bias = bias;
        this.bOff = bOff;
        this.y = y;
        this.yOff = yOff;
        this.epi = epi;
        int pieces = Math.min(n, 4 * ex.threads());
        per = (n + pieces - 1) / pieces;
        ex.run((n + per - 1) / per, this);
        this.x = this.w = this.bias = this.y = null;
        this.epi = null;
    }
}
