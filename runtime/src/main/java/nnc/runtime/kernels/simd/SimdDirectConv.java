package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConv;
import nnc.runtime.kernels.Epilogue;

/**
 * Direct convolution at stride 1 ({@link DirectConv}) as a matrix product whose right-hand
 * side is never built: in the zero-padded sample {@code xp} (rows {@code WP = OW + KW - 1}
 * long), output {@code (i, j)} at the linear position {@code p = i * WP + j} reads tap
 * {@code (c, u, v)} at {@code p + off[c, u, v]}, {@code off = (c * HP + u) * WP + v}. So every
 * tap is one contiguous vector load per {@code L} positions, whatever the padding, and each
 * register tile is {@link #OB} output channels x two vectors of positions, like the GEMM's
 * micro-kernel: per tap two loads, eight weights broadcast from a packed copy, 16 fused
 * multiply-adds.
 *
 * <pre>
 *   z[o, p .. p + 2L) = fma over taps t of xp[p + off[t] ..] * wp[o / OB, t, o % OB]   p = 0, 2L, ...
 *   y[o, i, j]        = folded epilogue( z[o, i * WP + j] )      (the columns j >= OW are dropped)
 *   wp [ceil(O / OB), C*KH*KW, OB]: the weights by tap, channels past O zero
 * </pre>
 *
 * The positions run to {@code (OH - 1) * WP + OW}; the last pair of vectors is moved back inside
 * (it recomputes the same sums). The sums go to a small block {@code z} and are copied into the
 * output rows with the folded bias and ReLU applied on the way; the other epilogue steps run on
 * the block's finished planes. Its twin is {@code scalar.ScalarDirectConv}: the same sums in the
 * same order, the same bits. One input channel with a 3x3 kernel on 8 lanes takes
 * {@link SingleChannelConv} (the channels on the lanes) instead.
 */
public final class SimdDirectConv implements DirectConv {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Output channels per register tile: 8 x 2 accumulators, as in {@link MicroKernel}. */
    static final int OB = 8;

    /** Runs the weight gradient of outputs smaller than one vector. */
    private final DirectConv small;

    /** The SIMD kernels, with {@code small} for the weight gradient of outputs under one vector. */
    public SimdDirectConv(DirectConv small) {
        this.small = small;
    }

    /** {@link DirectWeightGradient}; planes under one vector run {@code small}. */
    @Override
    public void backwardWeights(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                                float[] dw, float[] db) {
        if (DirectWeightGradient.fits(g)) {
            DirectWeightGradient.add(ws, g, b0, b1, dy, dyOff, x, xOff, dw, db);
        } else {
            small.backwardWeights(ws, g, b0, b1, dy, dyOff, x, xOff, dw, db);
        }
    }

    @Override
    public void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff,
                        float[] y, int yOff, Epilogue epi) {
        if (SingleChannelConv.applies(g)) {
            SingleChannelConv.forward(ws, g, b0, b1, x, xOff, w, wOff, y, yOff, epi);
            return;
        }
        int wp = DirectConv.paddedWidth(g);
        int hp = DirectConv.paddedHeight(g);
        int taps = g.k();
        int span = (g.oh() - 1) * wp + g.ow();
        int zs = span + 2 * L;
        int blocks = (g.o() + OB - 1) / OB;
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, g.c() * hp * wp + 2 * L);
        float[] wk = ws.floats(Workspace.Buffer.DIRECT_W, blocks * taps * OB);
        float[] z = ws.floats(Workspace.Buffer.DIRECT_OUT, OB * zs);
        int[] off = ws.ints(taps);
        for (int c = 0, t = 0; c < g.c(); c++) {
            for (int u = 0; u < g.kh(); u++) {
                for (int v = 0; v < g.kw(); v++) {
                    off[t++] = (c * hp + u) * wp + v;
                }
            }
        }
        for (int o = 0; o < blocks * OB; o++) {
            for (int t = 0; t < taps; t++) {
                wk[((o / OB) * taps + t) * OB + o % OB] = o < g.o() ? w[wOff + o * taps + t] : 0f;
            }
        }
        java.util.Arrays.fill(xp, g.c() * hp * wp, g.c() * hp * wp + 2 * L, 0f);
        int folded = DirectConv.folded(g, yOff, epi);
        boolean relu = DirectConv.foldedRelu(epi, folded);
        for (int b = b0; b < b1; b++) {
            DirectConv.pad(g, wp, x, xOff + b * g.inSize(), xp);
            int yb = yOff + b * g.outSize();
            for (int blk = 0; blk < blocks; blk++) {
                int last = Math.max(0, span - 2 * L);
                for (int p = 0; p < span; p += 2 * L) {
                    tile(taps, off, xp, Math.min(p, last), wk, blk * taps * OB, z, zs);
                }
                int o0 = blk * OB;
                int count = Math.min(OB, g.o() - o0);
                for (int k = 0; k < count; k++) {
                    copyOut(g, wp, z, k * zs, DirectConv.foldedBias(epi, folded, o0 + k), folded > 0, relu, y,
                            yb + (o0 + k) * g.p());
                }
                if (folded < epi.size()) {
                    epi.apply(folded, y, yb + o0 * g.p(), count * g.p());
                }
            }
        }
    }

    /**
     * {@code z[k * zs + p ..]} for the 8 channels of a block and the 2L positions from {@code p}:
     * the register tile. The stores stay in this method (a vector passed to a helper that C2 does
     * not inline is boxed on the heap).
     */
    private static void tile(int taps, int[] off, float[] xp, int p, float[] wk, int wo, float[] z, int zs) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int t = 0; t < taps; t++) {
            int at = p + off[t];
            FloatVector x0 = FloatVector.fromArray(S, xp, at);
            FloatVector x1 = FloatVector.fromArray(S, xp, at + L);
            int q = wo + t * OB;
            FloatVector a;
            a = FloatVector.broadcast(S, wk[q]);
            c00 = x0.fma(a, c00);
            c01 = x1.fma(a, c01);
            a = FloatVector.broadcast(S, wk[q + 1]);
            c10 = x0.fma(a, c10);
            c11 = x1.fma(a, c11);
            a = FloatVector.broadcast(S, wk[q + 2]);
            c20 = x0.fma(a, c20);
            c21 = x1.fma(a, c21);
            a = FloatVector.broadcast(S, wk[q + 3]);
            c30 = x0.fma(a, c30);
            c31 = x1.fma(a, c31);
            a = FloatVector.broadcast(S, wk[q + 4]);
            c40 = x0.fma(a, c40);
            c41 = x1.fma(a, c41);
            a = FloatVector.broadcast(S, wk[q + 5]);
            c50 = x0.fma(a, c50);
            c51 = x1.fma(a, c51);
            a = FloatVector.broadcast(S, wk[q + 6]);
            c60 = x0.fma(a, c60);
            c61 = x1.fma(a, c61);
            a = FloatVector.broadcast(S, wk[q + 7]);
            c70 = x0.fma(a, c70);
            c71 = x1.fma(a, c71);
        }
        c00.intoArray(z, p);
        c01.intoArray(z, p + L);
        c10.intoArray(z, zs + p);
        c11.intoArray(z, zs + p + L);
        c20.intoArray(z, 2 * zs + p);
        c21.intoArray(z, 2 * zs + p + L);
        c30.intoArray(z, 3 * zs + p);
        c31.intoArray(z, 3 * zs + p + L);
        c40.intoArray(z, 4 * zs + p);
        c41.intoArray(z, 4 * zs + p + L);
        c50.intoArray(z, 5 * zs + p);
        c51.intoArray(z, 5 * zs + p + L);
        c60.intoArray(z, 6 * zs + p);
        c61.intoArray(z, 6 * zs + p + L);
        c70.intoArray(z, 7 * zs + p);
        c71.intoArray(z, 7 * zs + p + L);
    }

    /**
     * Output plane {@code y[at ..]} from the sums {@code z[zo + i * WP + j]}: {@code + bias} and
     * ReLU when folded, row by row; the last vector of a row moved back inside it (or, for rows
     * shorter than a vector, stored under a mask).
     */
    private static void copyOut(ConvGeom g, int wp, float[] z, int zo, float bias, boolean addBias, boolean relu,
                                float[] y, int at) {
        int ow = g.ow();
        VectorMask<Float> m = ow < L ? Masks.first(ow) : null;
        for (int i = 0; i < g.oh(); i++) {
            int src = zo + i * wp;
            int dst = at + i * ow;
            for (int j = 0; j < ow; j += L) {
                int jj = m == null ? Math.min(j, ow - L) : 0;
                FloatVector v = FloatVector.fromArray(S, z, src + jj);
                if (addBias) {
                    v = v.add(bias);
                    if (relu) {
                        v = v.max(0f);
                    }
                }
                if (m == null) {
                    v.intoArray(y, dst + jj);
                } else {
                    v.intoArray(y, dst, m);
                }
            }
        }
    }
}
