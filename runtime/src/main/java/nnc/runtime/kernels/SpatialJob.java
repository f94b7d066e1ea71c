package nnc.runtime.kernels;

import java.util.Arrays;
import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/**
 * The reusable task behind {@link SpatialKernels}: splits a batch (or the channels) over an
 * {@link Exec} and calls the backend's {@link Convolution}, {@link Pooling} or {@link BatchNormalization} on each piece; its fields are the
 * arguments of the current call.
 *
 * <p>Weight gradients of a convolution are summed over samples: each of a fixed number of
 * pieces (one per thread) accumulates its samples into a private partial (transposed, see
 * {@link Convolution#convBackwardWeights}), and the partials are added in piece order while
 * transposing back, so the result is the same on every run with that many threads. Batch
 * statistics are per channel, each summed by one task in sample order.
 *
 * <p>Batch norm runs one channel at a time: its statistics, then its normalisation (forward),
 * or its statistics and the sums of dy in one pass, then the input gradient (backward), while
 * the channel (N * inner floats, 400 KB for 128 x 28 x 28) is still in the core's cache.
 */
final class SpatialJob implements Task {
    enum Kind {
        CONV, CONV_DIRECT, CONV_DIRECT_POOL, CONV_DX, CONV_DW, MAXPOOL, MAXPOOL_DX, AVGPOOL, AVGPOOL_DX, SUMS,
        BN_FORWARD, BN_BACKWARD, REDUCE
    }

    static final TaskSlot<Backend, SpatialJob> SLOT = new TaskSlot<>(SpatialJob::new);

    private final Exec ex;
    private final Convolution conv;
    private final DirectConv direct;
    private final DirectConvPool directPool;
    private final Pooling pooling;
    private final BatchNormalization bn;
    private Kind kind;
    private ConvGeom convGeom;
    private PoolGeom poolGeom;
    private int n;
    private int per;
    private float[] a;
    private int aOff;
    private float[] b;
    private int bOff;
    private float[] out;
    private int outOff;
    private Epilogue epi;
    // Convolution with pooling: the bias, whether the ReLU is applied, the output's channel block.
    private float[] bias;
    private int yBlock = 1;
    private int biasOff;
    private boolean relu;
    // Convolution weight gradients: partial sums per piece.
    private float[][] partials = new float[0][];
    private int partialSize;
    private int pieces;
    // The bias gradient folded into the weight gradient: per-piece channel sums.
    private double[][] biasParts = new double[0][];
    private double[][] sampleSums = new double[0][];
    private boolean withBias;
    // Batch norm.
    private int channels;
    private int inner;
    private double[] sums = new double[0];
    private double[] variance = new double[0];
    private float[] mean = new float[0];
    private float[] scale = new float[0];
    private float[] shift = new float[0];
    /** The parameter array holding gamma (and, forward, beta and the running statistics). */
    private float[] params;
    private int gammaOff;
    private int betaOff;
    private int meanOff;
    private int varOff;
    private float eps;
    private float momentum;
    private float[] dgamma;
    private int dgOff;
    private float[] dbeta;
    private int dbOff;

    private SpatialJob(Exec ex, Backend backend) {
        this.ex = ex;
        this.conv = backend.conv();
        this.direct = backend.direct();
        this.directPool = backend.directPool();
        this.pooling = backend.pooling();
        this.bn = backend.batchNorm();
    }

    @Override
    public void run(int index, int worker) {
        int b0 = index * per;
        int b1 = Math.min(n, b0 + per);
        int c1 = Math.min(channels, b0 + per);
        switch (kind) {
            case CONV -> conv.convForward(ex.workspace(worker), convGeom, b0, b1, a, aOff, b, bOff, out, outOff, epi);
            case CONV_DIRECT -> direct.forward(ex.workspace(worker), convGeom, b0, b1, a, aOff, b, bOff, out, outOff,
                    epi);
            case CONV_DIRECT_POOL -> directPool.forward(ex.workspace(worker), convGeom, poolGeom, relu, b0, b1, a, aOff,
                    b, bOff, bias, biasOff, out, outOff, yBlock, epi);
            case CONV_DX -> conv.convBackwardData(ex.workspace(worker), convGeom, b0, b1, a, aOff, b, bOff, out, outOff, epi);
            case CONV_DW -> {
                float[] p = partials[index];
                Arrays.fill(p, 0, partialSize, 0f);
                if (!withBias) {
                    conv.convBackwardWeights(ex.workspace(worker), convGeom, b0, b1, a, aOff, b, bOff, p, 0);
                    return;
                }
                // One sample at a time, so its dy is still in cache when its channel sums are taken.
                double[] db = biasParts[index];
                Arrays.fill(db, 0, convGeom.o(), 0);
                double[] s = sampleSums[worker];
                for (int i = b0; i < b1; i++) {
                    conv.convBackwardWeights(ex.workspace(worker), convGeom, i, i + 1, a, aOff, b, bOff, p, 0);
                    bn.channelSums(1, convGeom.o(), convGeom.p(), 0, convGeom.o(), a, aOff + i * convGeom.outSize(), s);
                    for (int o = 0; o < convGeom.o(); o++) {
                        db[o] += s[o];
                    }
                }
            }
            case REDUCE -> {
                // dw[o, kk] = sum over pieces of dwT[kk, o], pieces in order.
                int o = convGeom.o();
                int k = convGeom.k();
                int to = Math.min(partialSize, b0 + per);
                for (int i = b0; i < to; i++) {
                    int src = (i % k) * o + i / k;
                    float s = 0;
                    for (int q = 0; q < pieces; q++) {
                        s += partials[q][src];
                    }
                    out[outOff + i] = s;
                }
            }
            case MAXPOOL -> pooling.maxPool(poolGeom, b0, b1, a, aOff, out, outOff, epi);
            case MAXPOOL_DX -> pooling.maxPoolBackward(poolGeom, b0, b1, a, aOff, b, bOff, out, outOff, epi);
            case AVGPOOL -> pooling.avgPool(poolGeom, b0, b1, a, aOff, out, outOff, epi);
            case AVGPOOL_DX -> pooling.avgPoolBackward(poolGeom, b0, b1, a, aOff, out, outOff, epi);
            case SUMS -> bn.channelSums(n, channels, inner, b0, c1, a, aOff, sums);
            case BN_FORWARD -> normalise(b0, c1);
            case BN_BACKWARD -> bn.batchNormBackward(n, channels, inner, b0, c1, a, aOff, b, bOff, eps, params, gammaOff,
                    out, outOff, dgamma, dgOff, dbeta, dbOff);
        }
    }

    /** The kernel and its arrays: inputs {@code a} and {@code b}, output {@code out}. */
    private void operands(Kind kind, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        this.kind = kind;
        this.a = a;
        this.aOff = aOff;
        this.b = b;
        this.bOff = bOff;
        this.out = out;
        this.outOff = outOff;
    }

    private void release() {
        a = b = out = params = dgamma = dbeta = bias = null;
        epi = null;
    }

    /** One kernel over {@code n} samples, in pieces of about a quarter of a thread's share. */
    void overSamples(Kind kind, ConvGeom conv, PoolGeom pool, int n, float[] a, int aOff, float[] b, int bOff,
                     float[] out, int outOff, Epilogue epi) {
        operands(kind, a, aOff, b, bOff, out, outOff);
        this.convGeom = conv;
        this.poolGeom = pool;
        this.epi = epi;
        this.n = n;
        int pieces = Math.min(n, 4 * ex.threads());
        per = (n + pieces - 1) / pieces;
        ex.run((n + per - 1) / per, this);
        release();
    }

    /** Inference: convolution, bias, ReLU and 2x2 max pooling in one pass ({@link DirectConvPool}). */
    void convPool(ConvGeom conv, PoolGeom pool, boolean relu, int n, float[] x, int xOff, float[] w, int wOff,
                  float[] bias, int bOff, float[] y, int yOff, int yBlock, Epilogue epi) {
        this.yBlock = yBlock;
        this.bias = bias;
        this.biasOff = bOff;
        this.relu = relu;
        overSamples(Kind.CONV_DIRECT_POOL, conv, pool, n, x, xOff, w, wOff, y, yOff, epi);
    }

    /** Runs the current kind over channels in pieces; {@code n} stays the sample count. */
    private void overChannels(int channels) {
        this.channels = channels;
        int pieces = Math.min(channels, 4 * ex.threads());
        per = (channels + pieces - 1) / pieces;
        ex.run((channels + per - 1) / per, this);
    }

    /**
     * The weight gradient: per-piece partials, then their ordered sum transposed into {@code dw};
     * with {@code db}, also the bias gradient from per-piece channel sums, added in piece order.
     */
    void convWeights(ConvGeom g, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dw, int dwOff, float[] db,
                     int dbOff) {
        operands(Kind.CONV_DW, dy, dyOff, x, xOff, null, 0);
        convGeom = g;
        pieces = Math.min(n, ex.threads());
        partialSize = g.weightSize();
        if (partials.length < pieces) {
            partials = Arrays.copyOf(partials, pieces);
            biasParts = Arrays.copyOf(biasParts, pieces);
        }
        for (int i = 0; i < pieces; i++) {
            if (partials[i] == null || partials[i].length < partialSize) {
                partials[i] = new float[partialSize];
            }
            if (biasParts[i] == null || biasParts[i].length < g.o()) {
                biasParts[i] = new double[g.o()];
            }
        }
        withBias = db != null;
        if (sampleSums.length < ex.threads()) {
            sampleSums = new double[ex.threads()][];
        }
        for (int i = 0; i < ex.threads(); i++) {
            if (sampleSums[i] == null || sampleSums[i].length < g.o()) {
                sampleSums[i] = new double[g.o()];
            }
        }
        this.n = n;
        per = (n + pieces - 1) / pieces;
        ex.run(pieces, this);
        if (db != null) {
            for (int o = 0; o < g.o(); o++) {
                double s = 0;
                for (int q = 0; q < pieces; q++) {
                    s += biasParts[q][o];
                }
                db[dbOff + o] = (float) s;
            }
        }
        operands(Kind.REDUCE, null, 0, null, 0, dw, dwOff);
        int chunks = Math.min(partialSize, 4 * ex.threads());
        per = (partialSize + chunks - 1) / chunks;
        ex.run((partialSize + per - 1) / per, this);
        release();
    }

    /** {@code dst[c] = sum of src[N, c, inner]}. */
    void sumChannels(float[] src, int off, int n, int channels, int inner, float[] dst, int dOff) {
        perChannel(n, channels, inner);
        operands(Kind.SUMS, src, off, null, 0, null, 0);
        overChannels(channels);
        for (int c = 0; c < channels; c++) {
            dst[dOff + c] = (float) sums[c];
        }
        release();
    }

    /** Batch norm in training mode; see {@link SpatialKernels#batchNorm}. */
    void batchNorm(int n, int channels, int inner, float[] x, int xOff, float[] p, int gammaOff, int betaOff,
                   int meanOff, int varOff, float eps, float momentum, float[] y, int yOff, Epilogue epi) {
        perChannel(n, channels, inner);
        operands(Kind.BN_FORWARD, x, xOff, null, 0, y, yOff);
        params = p;
        this.gammaOff = gammaOff;
        this.betaOff = betaOff;
        this.meanOff = meanOff;
        this.varOff = varOff;
        this.eps = eps;
        this.momentum = momentum;
        this.epi = epi;
        overChannels(channels);
        release();
    }

    /** Batch-norm backward; see {@link SpatialKernels#batchNormBackward}. */
    void batchNormBackward(int n, int channels, int inner, float[] dy, int dyOff, float[] x, int xOff, float[] p,
                           int gammaOff, float eps, float[] dx, int dxOff, float[] dgamma, int dgOff, float[] dbeta,
                           int dbOff) {
        perChannel(n, channels, inner);
        operands(Kind.BN_BACKWARD, dy, dyOff, x, xOff, dx, dxOff);
        params = p;
        this.gammaOff = gammaOff;
        this.eps = eps;
        this.dgamma = dgamma;
        this.dgOff = dgOff;
        this.dbeta = dbeta;
        this.dbOff = dbOff;
        overChannels(channels);
        release();
    }

    /**
     * Forward batch norm of channels {@code [c0, c1)} of {@code a} into {@code out}: per channel
     * the batch statistics, the running statistics' update and the normalisation (with the
     * epilogue's leading ReLU); then the epilogue's other steps on each sample's run of these
     * channels.
     */
    private void normalise(int c0, int c1) {
        int from = epi.leadingRelu();
        double count = (double) n * inner;
        for (int c = c0; c < c1; c++) {
            bn.channelMoments(n, channels, inner, c, c + 1, a, aOff, mean, variance);
            double var = variance[c];
            scale[c] = (float) (params[gammaOff + c] / Math.sqrt(var + eps));
            shift[c] = params[betaOff + c];
            double unbiased = count > 1 ? var * count / (count - 1) : var;
            params[meanOff + c] = (1 - momentum) * params[meanOff + c] + momentum * mean[c];
            params[varOff + c] = (float) ((1 - momentum) * params[varOff + c] + momentum * unbiased);
            bn.channelAffine(n, channels, inner, c, c + 1, a, aOff, mean, scale, shift, from > 0, out, outOff);
        }
        if (from < epi.size()) {
            for (int b = 0; b < n; b++) {
                epi.apply(from, out, outOff + (b * channels + c0) * inner, (c1 - c0) * inner);
            }
        }
    }

    /** The sample count and shape of a per-channel job, and its per-channel arrays (grown, never per step). */
    private void perChannel(int n, int channels, int inner) {
        if (sums.length < channels) {
            sums = new double[channels];
            variance = new double[channels];
            mean = new float[channels];
            scale = new float[channels];
            shift = new float[channels];
        }
        this.n = n;
        this.inner = inner;
    }
}
