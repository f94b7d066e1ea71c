package nnc.runtime.kernels;

import java.util.Arrays;
import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/**
 * The reusable task behind the Winograd calls of {@link SpatialKernels}: splits a pass over
 * an {@link Exec}'s threads in phases and calls the backend's {@link Winograd} on the pieces.
 *
 * <pre>
 *   forward, backward data   WEIGHTS  U = G w G^T, panels of output channels per piece (shared)
 *                            FORWARD  samples per piece: transforms and products, epilogue
 *   weight gradient          GRADIENT one piece per thread, each into its own partial (and db)
 *                            FINISH   dw = G^T (partials added in piece order) G, per (o, c) range
 * </pre>
 *
 * Forward results do not depend on the split (each output is summed over channels in one
 * order); the weight gradient is summed per piece, a fixed number per thread count, so it is the
 * same on every run with that many threads.
 */
final class WinogradJob implements Task {
    private enum Phase { WEIGHTS, FORWARD, GRADIENT, FINISH }

    static final TaskSlot<Backend, WinogradJob> SLOT = new TaskSlot<>(WinogradJob::new);

    private final Exec ex;
    private final Winograd wino;
    private Phase phase;
    private ConvGeom g;
    private boolean flip;
    private int n;
    private int per;
    private int limit;
    private float[] a;
    private int aOff;
    private float[] b;
    private int bOff;
    private float[] out;
    private int outOff;
    private Epilogue epi;
    private float[] u;
    // Inference with pooling (forwardPooled): the pooling, the ReLU, the bias; pool is null otherwise.
    private PoolGeom pool;
    private boolean relu;
    private int xBlock = 1;
    private float[] bias;
    private int biasOff;
    /**
     * Each convolution's transformed weights, forward and flipped (backward data), with a copy of
     * the weights they came from. Prediction calls with unchanged weights skip the transform (for
     * one sample it cost more than the products); any change, a training step or another model's
     * weights, fails the comparison and transforms again, so a stale U is never used.
     */
    private final java.util.IdentityHashMap<ConvGeom, Transformed> plain = new java.util.IdentityHashMap<>();
    private final java.util.IdentityHashMap<ConvGeom, Transformed> flipped = new java.util.IdentityHashMap<>();

    private static final int MAX_CACHED = 64;

    private static final class Transformed {
        final float[] source;
        final float[] u;
        boolean valid;

        Transformed(int weights, int size) {
            source = new float[weights];
            u = new float[size];
        }
    }
    /** The backward-data geometry of each convolution, made once: a step allocates nothing. */
    private final java.util.IdentityHashMap<ConvGeom, ConvGeom> dataGeometries = new java.util.IdentityHashMap<>();
    private float[][] partials = new float[0][];
    private float[][] dbs = new float[0][];
    private boolean withBias;
    private int pieces;

    private WinogradJob(Exec ex, Backend backend) {
        this.ex = ex;
        this.wino = backend.winograd();
    }

    @Override
    public void run(int index, int worker) {
        int i0 = index * per;
        int i1 = Math.min(limit, i0 + per);
        switch (phase) {
            case WEIGHTS -> wino.transformWeights(ex.workspace(worker), g, flip, i0 * wino.weightGroup(),
                    i1 * wino.weightGroup(), b, bOff, u);
            case FORWARD -> {
                if (pool == null) {
                    wino.forward(ex.workspace(worker), g, i0, i1, a, aOff, u, out, outOff, epi);
                } else {
                    wino.forwardPooled(ex.workspace(worker), g, pool, relu, i0, i1, a, aOff, xBlock, u, bias, biasOff, out,
                            outOff, epi);
                }
            }
            case GRADIENT -> {
                float[] p = partials[index];
                Arrays.fill(p, 0, wino.partialSize(g), 0f);
                float[] db = withBias ? dbs[index] : null;
                if (db != null) {
                    Arrays.fill(db, 0, g.o(), 0f);
                }
                wino.weightGradient(ex.workspace(worker), g, i0, i1, a, aOff, b, bOff, p, db);
            }
            case FINISH -> wino.finishWeights(ex.workspace(worker), g, i0, i1, partials, pieces, out, outOff);
        }
    }

    /** Runs the current phase over {@code count} units in at most {@code maxPieces} pieces. */
    private void split(Phase phase, int count, int maxPieces) {
        this.phase = phase;
        this.limit = count;
        int p = Math.max(1, Math.min(count, maxPieces));
        per = (count + p - 1) / p;
        ex.run((count + per - 1) / per, this);
    }

    /**
     * {@code y = conv(x, w)} (or, with {@code flip}, the backward-data pass of {@code conv}:
     * x is dy and y is dx), then {@code epi} on each sample.
     */
    void forward(ConvGeom conv, boolean flip, int n, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                 Epilogue epi) {
        this.g = flip ? dataGeometries.computeIfAbsent(conv, Winograd::dataGeometry) : conv;
        this.flip = flip;
        java.util.IdentityHashMap<ConvGeom, Transformed> cache = flip ? flipped : plain;
        int taps = conv.o() * conv.c() * conv.kh() * conv.kw();
        Transformed t = cache.get(conv);
        if (t == null) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();  // geometries made per call (not the generated constants): stay bounded
            }
            t = new Transformed(taps, wino.weightsSize(g));
            cache.put(conv, t);
        }
        this.u = t.u;
        this.a = x;
        this.aOff = xOff;
        this.b = w;
        this.bOff = wOff;
        this.out = y;
        this.outOff = yOff;
        this.epi = epi;
        if (!t.valid || !Arrays.equals(t.source, 0, taps, w, wOff, wOff + taps)) {
            split(Phase.WEIGHTS, (g.o() + wino.weightGroup() - 1) / wino.weightGroup(), 4 * ex.threads());
            System.arraycopy(w, wOff, t.source, 0, taps);
            t.valid = true;
        }
        split(Phase.FORWARD, n, pieces(n, Winograd.tilesPerSample(g), wino.tileBlock(), ex.threads()));
        release();
    }

    /**
     * Inference: {@code y = epi(maxpool(act(conv(x, w) + bias)))}, pooled as each sample's
     * output is converted back from the transform's layout ({@link Winograd#forwardPooled}).
     */
    void forwardPooled(ConvGeom conv, PoolGeom pool, boolean relu, int n, float[] x, int xOff, int xBlock, float[] w,
                       int wOff, float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        this.xBlock = xBlock;
        this.pool = pool;
        this.relu = relu;
        this.bias = bias;
        this.biasOff = bOff;
        forward(conv, false, n, x, xOff, w, wOff, y, yOff, epi);
    }

    /** {@code dw = the weight gradient summed over the batch}, and {@code db} (when not null) the bias gradient. */
    void weights(ConvGeom g, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dw, int dwOff, float[] db,
                 int dbOff) {
        this.g = g;
        this.a = dy;
        this.aOff = dyOff;
        this.b = x;
        this.bOff = xOff;
        this.withBias = db != null;
        int per = (n + Math.min(n, ex.threads()) - 1) / Math.min(n, ex.threads());
        pieces = (n + per - 1) / per;
        int size = wino.partialSize(g);
        if (partials.length < pieces) {
            partials = Arrays.copyOf(partials, pieces);
            dbs = Arrays.copyOf(dbs, pieces);
        }
        for (int i = 0; i < pieces; i++) {
            if (partials[i] == null || partials[i].length < size) {
                partials[i] = new float[size];
            }
            if (dbs[i] == null || dbs[i].length < g.o()) {
                dbs[i] = new float[g.o()];
            }
        }
        split(Phase.GRADIENT, n, pieces);
        this.out = dw;
        this.outOff = dwOff;
        split(Phase.FINISH, g.o() * g.c(), 4 * ex.threads());
        if (db != null) {
            for (int o = 0; o < g.o(); o++) {
                float s = 0;
                for (int q = 0; q < pieces; q++) {
                    s += dbs[q][o];
                }
                db[dbOff + o] = s;
            }
        }
        release();
    }

    private void release() {
        a = b = out = u = bias = null;
        epi = null;
        pool = null;
        xBlock = 1;
    }

    /**
     * How many pieces to cut {@code n} samples into, between one and four per thread: the count
     * whose pieces leave the fewest spare lanes in their last tile block, the larger on a tie
     * (smaller pieces balance the threads).
     */
    static int pieces(int n, int tilesPerSample, int block, int threads) {
        int best = Math.min(n, threads);
        long bestWaste = Long.MAX_VALUE;
        for (int p = Math.min(n, threads); p <= Math.min(n, 4 * threads); p++) {
            int per = (n + p - 1) / p;
            long waste = 0;
            for (int s = 0; s < n; s += per) {
                long tiles = (long) Math.min(per, n - s) * tilesPerSample;
                waste += (tiles + block - 1) / block * block - tiles;
            }
            if (waste <= bestWaste) {
                best = p;
                bestWaste = waste;
            }
        }
        return best;
    }
}
