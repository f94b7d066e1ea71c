package nnc.runtime.kernels;

import java.util.Arrays;
import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;

/**
 * The thread-level side of the spatial kernels: splits a batch (or the channels) over an
 * {@link Exec} and calls the backend's {@link Spatial} on each piece. Part of {@link Kernels}.
 *
 * <p>Weight gradients of a convolution are summed over samples: each of a fixed number of
 * pieces (one per thread) accumulates its samples into a private partial (transposed, see
 * {@link Spatial#convBackwardWeights}), and the partials are added in piece order while
 * transposing back, so the result is the same on every run with that many threads.
 */
final class SpatialKernels {
    private SpatialKernels() {
    }

    enum Kind {
        CONV, CONV_DX, CONV_DW, MAXPOOL, MAXPOOL_DX, AVGPOOL, AVGPOOL_DX, SUMS, AFFINE, BN_BACKWARD, REDUCE
    }

    private static final int SLOT = Exec.newSlot();

    /** One reusable task per exec; its fields are the arguments of the current call. */
    static final class Job implements Task {
        final Exec ex;
        final Spatial sp;
        Kind kind;
        ConvGeom conv;
        PoolGeom pool;
        int n;
        int per;
        float[] a;
        int aOff;
        float[] b;
        int bOff;
        float[] out;
        int outOff;
        Epilogue epi;
        // Convolution weight gradients: partial sums per piece.
        float[][] partials = new float[0][];
        int partialSize;
        int pieces;
        // Batch norm.
        int channels;
        int inner;
        boolean withSquares;
        double[] sums = new double[0];
        double[] squares = new double[0];
        float[] mean = new float[0];
        float[] scale = new float[0];
        float[] shift = new float[0];
        float[] gamma;
        int gammaOff;
        float[] dgamma;
        int dgOff;

        Job(Exec ex, Spatial sp) {
            this.ex = ex;
            this.sp = sp;
        }

        @Override
        public void run(int index, int worker) {
            int b0 = index * per;
            int b1 = Math.min(n, b0 + per);
            switch (kind) {
                case CONV -> sp.convForward(ex.workspace(worker), conv, b0, b1, a, aOff, b, bOff, out, outOff, epi);
                case CONV_DX -> sp.convBackwardData(ex.workspace(worker), conv, b0, b1, a, aOff, b, bOff, out, outOff, epi);
                case CONV_DW -> {
                    float[] p = partials[index];
                    Arrays.fill(p, 0, partialSize, 0f);
                    sp.convBackwardWeights(ex.workspace(worker), conv, b0, b1, a, aOff, b, bOff, p, 0);
                }
                case REDUCE -> {
                    // dw[o, kk] = sum over pieces of dwT[kk, o], pieces in order.
                    int o = conv.o();
                    int k = conv.k();
                    int from = index * per;
                    int to = Math.min(partialSize, from + per);
                    for (int i = from; i < to; i++) {
                        int src = (i % k) * o + i / k;
                        float s = 0;
                        for (int q = 0; q < pieces; q++) {
                            s += partials[q][src];
                        }
                        out[outOff + i] = s;
                    }
                }
                case MAXPOOL -> sp.maxPool(pool, b0, b1, a, aOff, out, outOff, epi);
                case MAXPOOL_DX -> sp.maxPoolBackward(pool, b0, b1, a, aOff, b, bOff, out, outOff, epi);
                case AVGPOOL -> sp.avgPool(pool, b0, b1, a, aOff, out, outOff, epi);
                case AVGPOOL_DX -> sp.avgPoolBackward(pool, b0, b1, a, aOff, out, outOff, epi);
                case SUMS -> {
                    int c1 = Math.min(channels, b0 + per);
                    sp.channelSums(n, channels, inner, b0, c1, a, aOff, sums, mean, withSquares ? squares : null);
                }
                case AFFINE -> {
                    int c1 = Math.min(channels, b0 + per);
                    sp.channelAffine(n, channels, inner, b0, c1, a, aOff, mean, scale, shift, out, outOff);
                }
                case BN_BACKWARD -> {
                    int c1 = Math.min(channels, b0 + per);
                    sp.batchNormBackward(n, channels, inner, b0, c1, a, aOff, b, bOff, mean, scale, gamma, gammaOff,
                            out, outOff, dgamma, dgOff);
                }
            }
        }

        void release() {
            a = b = out = gamma = dgamma = null;
            epi = null;
        }
    }

    static Job job(Exec ex, Spatial sp) {
        Job j = (Job) ex.slot(SLOT);
        if (j == null) {
            ex.setSlot(SLOT, j = new Job(ex, sp));
        }
        return j;
    }

    /** Runs {@code j} over {@code n} samples in pieces of about a quarter thread's share each. */
    static void overSamples(Job j, int n) {
        j.n = n;
        int pieces = Math.min(n, 4 * j.ex.threads());
        j.per = (n + pieces - 1) / pieces;
        j.ex.run((n + j.per - 1) / j.per, j);
    }

    /** Runs {@code j} over channels in pieces; {@code j.n} stays the sample count. */
    static void overChannels(Job j, int channels) {
        j.channels = channels;
        int pieces = Math.min(channels, 4 * j.ex.threads());
        j.per = (channels + pieces - 1) / pieces;
        j.ex.run((channels + j.per - 1) / j.per, j);
    }

    static void convWeights(Job j, ConvGeom g, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dw, int dwOff) {
        j.kind = Kind.CONV_DW;
        j.conv = g;
        j.a = dy;
        j.aOff = dyOff;
        j.b = x;
        j.bOff = xOff;
        int pieces = Math.min(n, j.ex.threads());
        j.pieces = pieces;
        j.partialSize = g.weightSize();
        if (j.partials.length < pieces) {
            j.partials = Arrays.copyOf(j.partials, pieces);
        }
        for (int i = 0; i < pieces; i++) {
            if (j.partials[i] == null || j.partials[i].length < j.partialSize) {
                j.partials[i] = new float[j.partialSize];
            }
        }
        j.n = n;
        j.per = (n + pieces - 1) / pieces;
        j.ex.run(pieces, j);
        j.kind = Kind.REDUCE;
        j.out = dw;
        j.outOff = dwOff;
        int chunks = Math.min(j.partialSize, 4 * j.ex.threads());
        j.per = (j.partialSize + chunks - 1) / chunks;
        j.ex.run((j.partialSize + j.per - 1) / j.per, j);
    }

    static void ensureChannels(Job j, int channels) {
        if (j.sums.length < channels) {
            j.sums = new double[channels];
            j.squares = new double[channels];
            j.mean = new float[channels];
            j.scale = new float[channels];
            j.shift = new float[channels];
        }
    }
}
