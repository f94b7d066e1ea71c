package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;

/**
 * What generated code calls: each method splits one kernel over an {@link Exec}'s threads in
 * a fixed partition and runs the backend's twin on each piece. Reusable task objects live in
 * the exec's slots, so a call allocates nothing.
 *
 * <p>Shapes in the comments: N batch rows, C columns (features or classes).
 */
public final class Kernels {
    private static final Kernels ACTIVE = new Kernels(Backend.select());

    /** Elements per pointwise task: big enough to amortise a hand-off, small enough for L1/L2. */
    static final int POINTWISE_CHUNK = 8192;

    private final Backend backend;
    private final Gemm gemm;
    private final Elementwise elt;
    private final Losses losses;
    private final Optimizers opt;
    private final Spatial spatial;

    public Kernels(Backend backend) {
        this.backend = backend;
        this.gemm = backend.gemm();
        this.elt = backend.elementwise();
        this.losses = backend.losses();
        this.opt = backend.optimizers();
        this.spatial = backend.spatial();
    }

    /** The kernels of this JVM's backend (SIMD, or scalar without the Vector API). */
    public static Kernels active() {
        return ACTIVE;
    }

    public static Backend backend() {
        return ACTIVE.backend;
    }

    public Backend backendOf() {
        return backend;
    }

    /** An epilogue builder on this backend for an output tensor at {@code base}. */
    public Epilogue.Builder epilogue(int base) {
        return Epilogue.on(elt, base);
    }

    // ---- GEMM ----------------------------------------------------------------------------

    /** {@code C[m, n] (+)= op(A)[m, k] . op(B)[k, n]}, then {@code epi}; see {@link Gemm}. */
    public void gemm(Exec ex, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        gemm.gemm(ex, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epi);
    }

    // ---- pointwise ------------------------------------------------------------------------

    private static final int POINTWISE = Exec.newSlot();

    /**
     * {@code dst[0, count) = epi(src[0, count))}: copies when the two differ, then runs the
     * epilogue (bound to {@code dst} at {@code dstOff}) chunk by chunk.
     */
    public void pointwise(Exec ex, float[] src, int srcOff, float[] dst, int dstOff, int count, Epilogue epi) {
        PointwiseTask t = (PointwiseTask) ex.slot(POINTWISE);
        if (t == null) {
            ex.setSlot(POINTWISE, t = new PointwiseTask());
        }
        t.src = src;
        t.srcOff = srcOff;
        t.dst = dst;
        t.dstOff = dstOff;
        t.count = count;
        t.epi = epi;
        ex.run((count + POINTWISE_CHUNK - 1) / POINTWISE_CHUNK, t);
        t.src = t.dst = null;
        t.epi = null;
    }

    private static final class PointwiseTask implements Task {
        float[] src, dst;
        int srcOff, dstOff, count;
        Epilogue epi;

        @Override
        public void run(int index, int worker) {
            int start = index * POINTWISE_CHUNK;
            int len = Math.min(POINTWISE_CHUNK, count - start);
            if (src != dst || srcOff != dstOff) {
                System.arraycopy(src, srcOff + start, dst, dstOff + start, len);
            }
            epi.apply(dst, dstOff + start, len);
        }
    }

    private static final int SUM_ROWS = Exec.newSlot();

    /**
     * {@code dst[C] (+)= column sums of src[N, C]}: the bias gradient of a linear layer.
     * Threads take column ranges, so every sum runs in row order.
     */
    public void sumRows(Exec ex, float[] src, int off, int rows, int cols, float[] dst, int dOff, boolean accumulate) {
        SumRowsTask t = (SumRowsTask) ex.slot(SUM_ROWS);
        if (t == null) {
            ex.setSlot(SUM_ROWS, t = new SumRowsTask(elt));
        }
        t.src = src;
        t.off = off;
        t.rows = rows;
        t.cols = cols;
        t.dst = dst;
        t.dOff = dOff;
        t.accumulate = accumulate;
        int per = Math.max(64, (cols + 4 * ex.threads() - 1) / (4 * ex.threads()));
        per = (per + 15) & ~15;
        t.per = per;
        ex.run((cols + per - 1) / per, t);
        t.src = t.dst = null;
    }

    private static final class SumRowsTask implements Task {
        final Elementwise elt;
        float[] src, dst;
        int off, rows, cols, dOff, per;
        boolean accumulate;

        SumRowsTask(Elementwise elt) {
            this.elt = elt;
        }

        @Override
        public void run(int index, int worker) {
            int c0 = index * per;
            int width = Math.min(per, cols - c0);
            // Rows of a column range are strided; sumRows reads row r at src[off + r*cols + c0].
            sumColumns(elt, src, off + c0, rows, cols, width, dst, dOff + c0, accumulate);
        }
    }

    static void sumColumns(Elementwise elt, float[] src, int off, int rows, int stride, int width,
                           float[] dst, int dOff, boolean accumulate) {
        if (width == stride) {
            elt.sumRows(src, off, rows, width, dst, dOff, accumulate);
            return;
        }
        // Accumulate row by row with the add kernel: dst += src row segment.
        if (!accumulate) {
            java.util.Arrays.fill(dst, dOff, dOff + width, 0f);
        }
        for (int r = 0; r < rows; r++) {
            elt.add(dst, dOff, width, src, off + r * stride);
        }
    }

    // ---- convolution, pooling, batch norm ----------------------------------------------------

    /** How {@link #conv2d} computes {@code g} on this backend; see {@link Spatial#convAlgorithm}. */
    public String convAlgorithm(ConvGeom g) {
        return spatial.convAlgorithm(g);
    }

    /** {@code y[N, O, OH, OW] = conv(x[N, C, H, W], w[O, C, KH, KW])}, then {@code epi}. */
    public void conv2d(Exec ex, ConvGeom g, int n, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                       Epilogue epi) {
        overSamples(ex, SpatialKernels.Kind.CONV, g, null, n, x, xOff, w, wOff, y, yOff, epi);
    }

    /** {@code dx[N, C, H, W]} from {@code dy[N, O, OH, OW]} and the weights, then {@code epi}. */
    public void conv2dBackwardData(Exec ex, ConvGeom g, int n, float[] dy, int dyOff, float[] w, int wOff,
                                   float[] dx, int dxOff, Epilogue epi) {
        overSamples(ex, SpatialKernels.Kind.CONV_DX, g, null, n, dy, dyOff, w, wOff, dx, dxOff, epi);
    }

    /** {@code dw[O, C, KH, KW] = sum over the batch} of each sample's weight gradient. */
    public void conv2dBackwardWeights(Exec ex, ConvGeom g, int n, float[] dy, int dyOff, float[] x, int xOff,
                                      float[] dw, int dwOff) {
        SpatialKernels.Job j = SpatialKernels.job(ex, spatial);
        SpatialKernels.convWeights(j, g, n, dy, dyOff, x, xOff, dw, dwOff);
        j.release();
    }

    /** Max pooling {@code [N, C, H, W] -> [N, C, OH, OW]}, then {@code epi} per plane. */
    public void maxPool(Exec ex, PoolGeom g, int n, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        overSamples(ex, SpatialKernels.Kind.MAXPOOL, null, g, n, x, xOff, null, 0, y, yOff, epi);
    }

    /**
     * Gradient of max pooling: each window's {@code dy} goes to its first maximum in {@code x};
     * then {@code epi} per plane of {@code dx}.
     */
    public void maxPoolBackward(Exec ex, PoolGeom g, int n, float[] dy, int dyOff, float[] x, int xOff,
                                float[] dx, int dxOff, Epilogue epi) {
        overSamples(ex, SpatialKernels.Kind.MAXPOOL_DX, null, g, n, dy, dyOff, x, xOff, dx, dxOff, epi);
    }

    public void avgPool(Exec ex, PoolGeom g, int n, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        overSamples(ex, SpatialKernels.Kind.AVGPOOL, null, g, n, x, xOff, null, 0, y, yOff, epi);
    }

    public void avgPoolBackward(Exec ex, PoolGeom g, int n, float[] dy, int dyOff, float[] dx, int dxOff, Epilogue epi) {
        overSamples(ex, SpatialKernels.Kind.AVGPOOL_DX, null, g, n, dy, dyOff, null, 0, dx, dxOff, epi);
    }

    /** One spatial kernel split over the samples: {@code out} from {@code a} (and {@code b}). */
    private void overSamples(Exec ex, SpatialKernels.Kind kind, ConvGeom conv, PoolGeom pool, int n, float[] a,
                             int aOff, float[] b, int bOff, float[] out, int outOff, Epilogue epi) {
        SpatialKernels.Job j = SpatialKernels.job(ex, spatial);
        j.kind = kind;
        j.conv = conv;
        j.pool = pool;
        j.a = a;
        j.aOff = aOff;
        j.b = b;
        j.bOff = bOff;
        j.out = out;
        j.outOff = outOff;
        j.epi = epi;
        SpatialKernels.overSamples(j, n);
        j.release();
    }

    /** {@code dst[C] = sum of src[N, C, inner]} over samples and positions: a convolution's bias gradient. */
    public void sumChannels(Exec ex, float[] src, int off, int n, int channels, int inner, float[] dst, int dOff) {
        SpatialKernels.Job j = SpatialKernels.job(ex, spatial);
        SpatialKernels.ensureChannels(j, channels);
        stats(j, n, channels, inner, src, off, false);
        for (int c = 0; c < channels; c++) {
            dst[dOff + c] = (float) j.sums[c];
        }
        j.release();
    }

    /** Per-channel mean (into j.mean) and, with {@code variance}, biased variance (into j.squares). */
    private static void stats(SpatialKernels.Job j, int n, int channels, int inner, float[] x, int xOff, boolean variance) {
        j.kind = SpatialKernels.Kind.SUMS;
        j.n = n;
        j.inner = inner;
        j.a = x;
        j.aOff = xOff;
        j.withSquares = false;
        SpatialKernels.overChannels(j, channels);
        double count = (double) n * inner;
        for (int c = 0; c < channels; c++) {
            j.mean[c] = (float) (j.sums[c] / count);
        }
        if (variance) {
            j.withSquares = true;
            SpatialKernels.overChannels(j, channels);
            for (int c = 0; c < channels; c++) {
                j.squares[c] /= count;
            }
        }
    }

    /**
     * Batch norm in training mode on {@code x[N, C, inner]}: normalises with the batch's mean
     * and (biased) variance, scales by gamma and shifts by beta ({@code p} at the given
     * offsets), and updates the running mean and (unbiased) variance with {@code momentum}, as
     * {@code torch.nn.BatchNorm} does.
     */
    public void batchNorm(Exec ex, int n, int channels, int inner, float[] x, int xOff, float[] p, int gammaOff,
                          int betaOff, int meanOff, int varOff, float eps, float momentum, float[] y, int yOff) {
        SpatialKernels.Job j = SpatialKernels.job(ex, spatial);
        SpatialKernels.ensureChannels(j, channels);
        stats(j, n, channels, inner, x, xOff, true);
        double count = (double) n * inner;
        for (int c = 0; c < channels; c++) {
            double var = j.squares[c];
            j.scale[c] = (float) (p[gammaOff + c] / Math.sqrt(var + eps));
            j.shift[c] = p[betaOff + c];
            double unbiased = count > 1 ? var * count / (count - 1) : var;
            p[meanOff + c] = (1 - momentum) * p[meanOff + c] + momentum * j.mean[c];
            p[varOff + c] = (float) ((1 - momentum) * p[varOff + c] + momentum * unbiased);
        }
        j.kind = SpatialKernels.Kind.AFFINE;
        j.out = y;
        j.outOff = yOff;
        SpatialKernels.overChannels(j, channels);
        j.release();
    }

    /**
     * Batch-norm backward on {@code [N, C, inner]}: the input gradient into {@code dx} (when not
     * null; it includes the path through the batch statistics) and/or the gamma gradient into
     * {@code dgamma}. The statistics are recomputed from {@code x}.
     */
    public void batchNormBackward(Exec ex, int n, int channels, int inner, float[] dy, int dyOff, float[] x, int xOff,
                                  float[] p, int gammaOff, float eps, float[] dx, int dxOff, float[] dgamma, int dgOff) {
        SpatialKernels.Job j = SpatialKernels.job(ex, spatial);
        SpatialKernels.ensureChannels(j, channels);
        stats(j, n, channels, inner, x, xOff, true);
        for (int c = 0; c < channels; c++) {
            j.scale[c] = (float) (1 / Math.sqrt(j.squares[c] + eps));
        }
        j.kind = SpatialKernels.Kind.BN_BACKWARD;
        j.a = dy;
        j.aOff = dyOff;
        j.b = x;
        j.bOff = xOff;
        j.gamma = p;
        j.gammaOff = gammaOff;
        j.out = dx;
        j.outOff = dxOff;
        j.dgamma = dgamma;
        j.dgOff = dgOff;
        SpatialKernels.overChannels(j, channels);
        j.release();
    }

    /**
     * Copies per-sample blocks: for each of {@code n} samples, {@code len} floats from
     * {@code src} (stride {@code srcStride}) to {@code dst} (stride {@code dstStride}). Concat
     * and its gradient (a slice) are this with different strides and offsets.
     */
    public void copyBlocks(Exec ex, int n, float[] src, int srcOff, int srcStride, float[] dst, int dstOff,
                           int dstStride, int len) {
        for (int b = 0; b < n; b++) {
            System.arraycopy(src, srcOff + b * srcStride, dst, dstOff + b * dstStride, len);
        }
    }

    // ---- losses ---------------------------------------------------------------------------

    /** Which loss kernel a {@link #loss} call runs. */
    public enum Loss {
        SOFTMAX_CROSS_ENTROPY, NLL, SIGMOID_BCE, BCE, MSE
    }

    private static final int LOSS = Exec.newSlot();
    private static final int LOSS_ROWS = 16;

    /**
     * Runs a loss over {@code [n, cols]} outputs and their targets; writes the gradient
     * (scaled by {@code 1/n}) when {@code g != null}. {@code stats[0]} receives the summed
     * loss and {@code stats[1]} the rows predicted right; partial sums are added in row order.
     */
    public void loss(Exec ex, Loss kind, float[] y, int yOff, int n, int cols, float[] t, int tOff,
                     float[] g, int gOff, float[] stats) {
        LossTask task = (LossTask) ex.slot(LOSS);
        if (task == null) {
            ex.setSlot(LOSS, task = new LossTask(losses));
        }
        int tasks = (n + LOSS_ROWS - 1) / LOSS_ROWS;
        task.set(kind, y, yOff, n, cols, t, tOff, g, gOff, 1f / n, tasks);
        ex.run(tasks, task);
        double loss = 0;
        double correct = 0;
        for (int i = 0; i < tasks; i++) {
            loss += task.partials[2 * i];
            correct += task.partials[2 * i + 1];
        }
        stats[0] = (float) loss;
        stats[1] = (float) correct;
        task.y = task.t = task.g = null;
    }

    private static final class LossTask implements Task {
        final Losses losses;
        Loss kind;
        float[] y, t, g;
        int yOff, n, cols, tOff, gOff;
        float scale;
        float[] partials = new float[0];
        final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[2]);

        LossTask(Losses losses) {
            this.losses = losses;
        }

        void set(Loss kind, float[] y, int yOff, int n, int cols, float[] t, int tOff,
                 float[] g, int gOff, float scale, int tasks) {
            this.kind = kind;
            this.y = y;
            this.yOff = yOff;
            this.n = n;
            this.cols = cols;
            this.t = t;
            this.tOff = tOff;
            this.g = g;
            this.gOff = gOff;
            this.scale = scale;
            if (partials.length < 2 * tasks) {
                partials = new float[2 * tasks];
            }
        }

        @Override
        public void run(int index, int worker) {
            int r0 = index * LOSS_ROWS;
            int r1 = Math.min(n, r0 + LOSS_ROWS);
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

    private static final int ROWS = Exec.newSlot();

    /** {@code y[N, C] = softmax(x)} row by row. */
    public void softmax(Exec ex, float[] x, int xOff, int n, int cols, float[] y, int yOff) {
        rows(ex, 0, x, xOff, null, 0, n, cols, y, yOff);
    }

    /** {@code dx[N, C] = y * (dy - rowsum(dy * y))}. */
    public void softmaxGrad(Exec ex, float[] dy, int dyOff, float[] y, int yOff, int n, int cols, float[] dx, int dxOff) {
        rows(ex, 1, dy, dyOff, y, yOff, n, cols, dx, dxOff);
    }

    private void rows(Exec ex, int op, float[] a, int aOff, float[] b, int bOff, int n, int cols, float[] out, int oOff) {
        RowsTask t = (RowsTask) ex.slot(ROWS);
        if (t == null) {
            ex.setSlot(ROWS, t = new RowsTask(losses));
        }
        t.op = op;
        t.a = a;
        t.aOff = aOff;
        t.b = b;
        t.bOff = bOff;
        t.n = n;
        t.cols = cols;
        t.out = out;
        t.oOff = oOff;
        ex.run((n + LOSS_ROWS - 1) / LOSS_ROWS, t);
        t.a = t.b = t.out = null;
    }

    private static final class RowsTask implements Task {
        final Losses losses;
        int op, aOff, bOff, n, cols, oOff;
        float[] a, b, out;

        RowsTask(Losses losses) {
            this.losses = losses;
        }

        @Override
        public void run(int index, int worker) {
            int r0 = index * LOSS_ROWS;
            int r1 = Math.min(n, r0 + LOSS_ROWS);
            if (op == 0) {
                losses.softmax(a, aOff, r0, r1, cols, out, oOff);
            } else {
                losses.softmaxGrad(a, aOff, b, bOff, r0, r1, cols, out, oOff);
            }
        }
    }

    // ---- optimizers -----------------------------------------------------------------------

    private static final int OPT = Exec.newSlot();
    static final int OPT_CHUNK = 16384;

    /** Which update an {@link #update} call runs; the fused ones read each array once. */
    public enum Update {
        SGD, ADAM, AXPY, SCALE, MOMENTUM, ADAM_MOMENTS, ADAM_APPLY
    }

    /**
     * One optimizer pass over {@code [0, count)} of the flat arrays. The meaning of {@code a}..
     * {@code d} and the float arguments follows the {@link Optimizers} method of the same name:
     * SGD(p, g, buf; lr, momentum, nesterov?, wd), ADAM(p, g, m, v; lr, b1, b2, eps, wd,
     * decoupled?, bc1, bc2), AXPY(y, x; a), SCALE(y; a), MOMENTUM(buf, g; mu),
     * ADAM_MOMENTS(m, v, g; b1, b2), ADAM_APPLY(p, m, v; lr, eps, bc1, bc2).
     */
    public void update(Exec ex, Update kind, int count, float[] a, float[] b, float[] c, float[] d,
                       float f0, float f1, float f2, float f3, float f4, boolean flag, float f5, float f6) {
        UpdateTask t = (UpdateTask) ex.slot(OPT);
        if (t == null) {
            ex.setSlot(OPT, t = new UpdateTask(opt));
        }
        t.kind = kind;
        t.count = count;
        t.a = a;
        t.b = b;
        t.c = c;
        t.d = d;
        t.f0 = f0;
        t.f1 = f1;
        t.f2 = f2;
        t.f3 = f3;
        t.f4 = f4;
        t.flag = flag;
        t.f5 = f5;
        t.f6 = f6;
        ex.run((count + OPT_CHUNK - 1) / OPT_CHUNK, t);
        t.a = t.b = t.c = t.d = null;
    }

    private static final class UpdateTask implements Task {
        final Optimizers opt;
        Update kind;
        int count;
        float[] a, b, c, d;
        float f0, f1, f2, f3, f4, f5, f6;
        boolean flag;

        UpdateTask(Optimizers opt) {
            this.opt = opt;
        }

        @Override
        public void run(int index, int worker) {
            int off = index * OPT_CHUNK;
            int len = Math.min(OPT_CHUNK, count - off);
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
}
