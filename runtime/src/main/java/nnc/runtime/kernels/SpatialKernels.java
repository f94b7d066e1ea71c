package nnc.runtime.kernels;

import nnc.runtime.exec.Exec;

/**
 * The spatial facade: convolution, pooling and batch norm on NCHW tensors, split over an
 * {@link Exec}'s threads by sample (or by channel for batch statistics); see {@link SpatialJob}.
 *
 * <p>Shapes: N batch, C input channels, O output channels, H x W input, OH x OW output.
 */
public interface SpatialKernels extends KernelFamily {
    /** How {@link #conv2d} computes {@code g} on this backend; see {@link Convolution#convAlgorithm}. */
    default String convAlgorithm(ConvGeom g) {
        return backendOf().conv().convAlgorithm(g);
    }

    /** Which path pooling {@code g} takes on this backend; see {@link Pooling#poolAlgorithm}. */
    default String poolAlgorithm(PoolGeom g) {
        return backendOf().pooling().poolAlgorithm(g);
    }

    /** Which path batch norm over {@code inner} positions takes; see {@link BatchNormalization#batchNormAlgorithm}. */
    default String batchNormAlgorithm(int inner) {
        return backendOf().batchNorm().batchNormAlgorithm(inner);
    }

    /** {@code y[N, O, OH, OW] = conv(x[N, C, H, W], w[O, C, KH, KW])}, then {@code epi}. */
    default void conv2d(Exec ex, ConvGeom g, int n, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                        Epilogue epi) {
        job(ex).overSamples(SpatialJob.Kind.CONV, g, null, n, x, xOff, w, wOff, y, yOff, epi);
    }

    /** {@code dx[N, C, H, W]} from {@code dy[N, O, OH, OW]} and the weights, then {@code epi}. */
    default void conv2dBackwardData(Exec ex, ConvGeom g, int n, float[] dy, int dyOff, float[] w, int wOff,
                                    float[] dx, int dxOff, Epilogue epi) {
        job(ex).overSamples(SpatialJob.Kind.CONV_DX, g, null, n, dy, dyOff, w, wOff, dx, dxOff, epi);
    }

    /** {@code dw[O, C, KH, KW] = sum over the batch} of each sample's weight gradient. */
    default void conv2dBackwardWeights(Exec ex, ConvGeom g, int n, float[] dy, int dyOff, float[] x, int xOff,
                                       float[] dw, int dwOff) {
        job(ex).convWeights(g, n, dy, dyOff, x, xOff, dw, dwOff, null, 0);
    }

    /** {@link #conv2d} computed by algorithm {@code a} (chosen when the model was compiled). */
    default void conv2d(Exec ex, ConvGeom g, ConvAlgorithm a, int n, float[] x, int xOff, float[] w, int wOff,
                        float[] y, int yOff, Epilogue epi) {
        if (a == ConvAlgorithm.WINOGRAD) {
            WinogradJob.SLOT.get(ex, backendOf()).forward(g, false, n, x, xOff, w, wOff, y, yOff, epi);
        } else if (a == ConvAlgorithm.DIRECT) {
            job(ex).overSamples(SpatialJob.Kind.CONV_DIRECT, g, null, n, x, xOff, w, wOff, y, yOff, epi);
        } else {
            conv2d(ex, g, n, x, xOff, w, wOff, y, yOff, epi);
        }
    }

    /** {@link #conv2dBackwardData} computed by algorithm {@code a}. */
    default void conv2dBackwardData(Exec ex, ConvGeom g, ConvAlgorithm a, int n, float[] dy, int dyOff, float[] w,
                                    int wOff, float[] dx, int dxOff, Epilogue epi) {
        if (a == ConvAlgorithm.WINOGRAD) {
            WinogradJob.SLOT.get(ex, backendOf()).forward(g, true, n, dy, dyOff, w, wOff, dx, dxOff, epi);
        } else {
            conv2dBackwardData(ex, g, n, dy, dyOff, w, wOff, dx, dxOff, epi);
        }
    }

    /**
     * {@link #conv2dBackwardWeights} computed by algorithm {@code a}; when {@code db} is not null
     * the same pass also writes the bias gradient {@code db[O]} (the sum of dy per channel, as
     * {@link #sumChannels} computes it), reading each sample's dy while it is in cache.
     */
    default void conv2dBackwardWeights(Exec ex, ConvGeom g, ConvAlgorithm a, int n, float[] dy, int dyOff, float[] x,
                                       int xOff, float[] dw, int dwOff, float[] db, int dbOff) {
        if (a == ConvAlgorithm.WINOGRAD) {
            WinogradJob.SLOT.get(ex, backendOf()).weights(g, n, dy, dyOff, x, xOff, dw, dwOff, db, dbOff);
        } else if (a == ConvAlgorithm.DIRECT) {
            DirectWeightsJob.SLOT.get(ex, backendOf()).weights(g, n, dy, dyOff, x, xOff, dw, dwOff, db, dbOff);
        } else {
            job(ex).convWeights(g, n, dy, dyOff, x, xOff, dw, dwOff, db, dbOff);
        }
    }

    /**
     * Inference: {@code y[N, O, PH, PW] = maxpool2x2(act(conv(x[N, C, H, W], w) + bias[O]))},
     * then {@code epi} per plane, computed by algorithm {@code a} without storing the
     * convolution's output: {@link ConvAlgorithm#DIRECT} pools in registers ({@link
     * DirectConvPool}, which says when it applies), {@link ConvAlgorithm#WINOGRAD} as it converts
     * each sample back from the transform's layout ({@link Winograd#forwardPooled}). {@code act}
     * is a ReLU when {@code relu}, else nothing. Same bits as {@link #conv2d} by {@code a} with
     * that bias and ReLU, then {@link #maxPool}.
     */
    default void conv2dMaxPool(Exec ex, ConvGeom conv, ConvAlgorithm a, PoolGeom pool, boolean relu, int n, float[] x,
                               int xOff, float[] w, int wOff, float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        conv2dMaxPool(ex, conv, a, pool, relu, ChannelLayout.NCHW, ChannelLayout.NCHW, n, x, xOff, w, wOff, bias, bOff,
                y, yOff, epi);
    }

    /**
     * {@link #conv2dMaxPool} with {@code x} and {@code y} in the given layouts: a Winograd one
     * may read its input {@link ChannelLayout#BLOCKED}, a direct one may store its output so
     * when it has no epilogue; the channel counts must then be multiples of the backend's
     * block. The same values land in the same places of the other layout.
     */
    default void conv2dMaxPool(Exec ex, ConvGeom conv, ConvAlgorithm a, PoolGeom pool, boolean relu,
                               ChannelLayout in, ChannelLayout out, int n, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        if (!pool.halves(conv) || !a.applies(conv) || a == ConvAlgorithm.GEMM) {
            throw new IllegalArgumentException("internal error: no pooled convolution for these geometries");
        }
        boolean winograd = a == ConvAlgorithm.WINOGRAD;
        int inBlock = in.block(backendOf());
        int outBlock = out.block(backendOf());
        if ((winograd ? out : in) != ChannelLayout.NCHW || (out != ChannelLayout.NCHW && !epi.isEmpty())) {
            throw new IllegalArgumentException("internal error: a " + a + " convolution with pooling reads " + in
                    + " and writes " + out + (epi.isEmpty() ? "" : " with an epilogue"));
        }
        ChannelLayout.check(conv.c(), inBlock);
        ChannelLayout.check(conv.o(), outBlock);
        if (winograd) {
            WinogradJob.SLOT.get(ex, backendOf()).forwardPooled(conv, pool, relu, n, x, xOff, inBlock, w, wOff, bias,
                    bOff, y, yOff, epi);
        } else {
            job(ex).convPool(conv, pool, relu, n, x, xOff, w, wOff, bias, bOff, y, yOff, outBlock, epi);
        }
    }

    /** Max pooling {@code [N, C, H, W] -> [N, C, OH, OW]}, then {@code epi} per plane. */
    default void maxPool(Exec ex, PoolGeom g, int n, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        job(ex).overSamples(SpatialJob.Kind.MAXPOOL, null, g, n, x, xOff, null, 0, y, yOff, epi);
    }

    /**
     * Gradient of max pooling: each window's {@code dy} goes to its first maximum in {@code x};
     * then {@code epi} per plane of {@code dx}.
     */
    default void maxPoolBackward(Exec ex, PoolGeom g, int n, float[] dy, int dyOff, float[] x, int xOff,
                                 float[] dx, int dxOff, Epilogue epi) {
        job(ex).overSamples(SpatialJob.Kind.MAXPOOL_DX, null, g, n, dy, dyOff, x, xOff, dx, dxOff, epi);
    }

    /** Average pooling {@code [N, C, H, W] -> [N, C, OH, OW]}, then {@code epi} per plane. */
    default void avgPool(Exec ex, PoolGeom g, int n, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        job(ex).overSamples(SpatialJob.Kind.AVGPOOL, null, g, n, x, xOff, null, 0, y, yOff, epi);
    }

    /** Gradient of average pooling: each window's {@code dy} spread evenly; then {@code epi} per plane. */
    default void avgPoolBackward(Exec ex, PoolGeom g, int n, float[] dy, int dyOff, float[] dx, int dxOff,
                                 Epilogue epi) {
        job(ex).overSamples(SpatialJob.Kind.AVGPOOL_DX, null, g, n, dy, dyOff, null, 0, dx, dxOff, epi);
    }

    /** {@code dst[C] = sum of src[N, C, inner]} over samples and positions: a convolution's bias gradient. */
    default void sumChannels(Exec ex, float[] src, int off, int n, int channels, int inner, float[] dst, int dOff) {
        job(ex).sumChannels(src, off, n, channels, inner, dst, dOff);
    }

    /**
     * Batch norm in training mode on {@code x[N, C, inner]}: normalises with the batch's mean
     * and (biased) variance, scales by gamma and shifts by beta ({@code p} at the given
     * offsets), and updates the running mean and (unbiased) variance with {@code momentum}, as
     * {@code torch.nn.BatchNorm} does; then {@code epi} (a leading ReLU as each value is stored,
     * the other steps on each sample's run of a few channels).
     */
    default void batchNorm(Exec ex, int n, int channels, int inner, float[] x, int xOff, float[] p, int gammaOff,
                           int betaOff, int meanOff, int varOff, float eps, float momentum, float[] y, int yOff,
                           Epilogue epi) {
        job(ex).batchNorm(n, channels, inner, x, xOff, p, gammaOff, betaOff, meanOff, varOff, eps, momentum, y, yOff,
                epi);
    }

    /**
     * Batch-norm backward on {@code [N, C, inner]}: the input gradient into {@code dx} (when not
     * null; it includes the path through the batch statistics), the gamma gradient into
     * {@code dgamma} and the beta gradient (the sum of dy) into {@code dbeta}, each when not null:
     * the input gradient needs both sums, so one pass gives all three. The statistics are
     * recomputed from {@code x}.
     */
    default void batchNormBackward(Exec ex, int n, int channels, int inner, float[] dy, int dyOff, float[] x,
                                   int xOff, float[] p, int gammaOff, float eps, float[] dx, int dxOff, float[] dgamma,
                                   int dgOff, float[] dbeta, int dbOff) {
        job(ex).batchNormBackward(n, channels, inner, dy, dyOff, x, xOff, p, gammaOff, eps, dx, dxOff, dgamma, dgOff,
                dbeta, dbOff);
    }

    private SpatialJob job(Exec ex) {
        return SpatialJob.SLOT.get(ex, backendOf());
    }
}
