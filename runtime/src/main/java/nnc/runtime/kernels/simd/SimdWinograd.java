package nnc.runtime.kernels.simd;

import static nnc.runtime.kernels.Winograd.M;
import static nnc.runtime.kernels.Winograd.R;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;
import nnc.runtime.kernels.Winograd;

/**
 * Winograd F(4x4, 3x3) on the Vector API, channels last inside the kernel: each sample is
 * transposed once into a padded [H'][W'][C] slot, so a pixel's channels are contiguous vectors
 * and every transform reads and writes whole vectors (no gathers); the output is transposed
 * back per sample. The tiles of a range of samples (sample, row, column order) are taken in
 * blocks:
 *
 * <pre>
 *   forward, per block of TB tiles (24 with 8 lanes, else 16):
 *     V [36][TB][C']  = B^T d B                      per tile, L channels at a time
 *     M [36][TB][O''] = V_xi [TB x C] . U_xi [C x O''] micro-kernel, A read row by row (tiles)
 *     y slot          = A^T M A                       per tile, L output channels at a time
 *     each sample the block finished: y slot -> y [O, OH, OW] with the epilogue (bias, ReLU;
 *                                                   other steps in their own pass); or, pooled
 *                                                   (inference), 2x2 maxima in the slot first
 *   weight gradient, per block of TBW tiles:
 *     V as above;  Z [36][TBW][O''] = A dY A^T        dy transposed per sample like x
 *     partial [36][C'][O''] += V_xi^T . Z_xi          micro-kernel, K = the block's tiles
 *   U [36][O''/NR][C][NR] = G w G^T, the micro-kernel's B panels
 *   C' = C rounded up to L, O'' = O rounded up to NR; slots: a ring holding every sample one
 *   block touches
 * </pre>
 */
public final class SimdWinograd implements Winograd {
    static final int L = WinogradTransforms.L;
    static final int MR = MicroKernel.MR;
    static final int NR = MicroKernel.NR;
    private static final int XI = 36;
    /**
     * Rows of the forward products' tile: 6 with 8 lanes ({@link MicroKernel#runSixRows}, whose
     * accumulators fit AVX2's 16 registers), else the GEMM tile's MR.
     */
    static final int FMR = L == 8 ? 6 : MR;
    /** Tiles per block: forward (FMR-row groups of the micro-kernel), weight gradient (its K). */
    static final int TB = L == 8 ? 24 : 16;
    static final int TBW = 32;
    /**
     * Input channels are padded to a multiple of this: whole vectors for the transforms, whole
     * MR-row blocks for the weight-gradient products (8 and 16 lanes: L; 4 lanes: MR).
     */
    static final int CQ = Math.max(L, MR);
    /**
     * Floats between the 36 planes of a block's V and M beyond their size: without it the planes
     * are 2 or 4 KiB apart, a transform's 36 loads or stores fall in one or two L1 sets, and
     * the output transform ran at a third of its speed.
     */
    static final int PAD = 16;

    private static final float[][] GT = {
        {1 / 4f, -1 / 6f, -1 / 6f, 1 / 24f, 1 / 24f, 0},
        {0, -1 / 6f, 1 / 6f, 1 / 12f, -1 / 12f, 0},
        {0, -1 / 6f, -1 / 6f, 1 / 6f, 1 / 6f, 1}};

    @Override
    public int weightGroup() {
        return NR;
    }

    @Override
    public int tileBlock() {
        return TB;
    }

    @Override
    public int weightsSize(ConvGeom g) {
        return XI * roundUp(g.o(), NR) * g.c();
    }

    private static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }

    @Override
    public void transformWeights(Workspace ws, ConvGeom g, boolean flip, int o0, int o1, float[] w, int wOff,
                                 float[] u) {
        int panels = roundUp(g.o(), NR) / NR;
        int step = panels * g.c() * NR;
        float[] t = ws.floats(Workspace.Buffer.WINOGRAD_TMP, 18 + XI);
        for (int o = o0; o < Math.min(o1, panels * NR); o++) {
            for (int c = 0; c < g.c(); c++) {
                int at = (o / NR * g.c() + c) * NR + o % NR;
                if (o >= g.o()) {
                    for (int xi = 0; xi < XI; xi++) {
                        u[xi * step + at] = 0f;
                    }
                    continue;
                }
                // G k G^T: each column of the kernel through G (into t[6][3]), then each row of that.
                for (int v = 0; v < R; v++) {
                    kernelTransform(Winograd.tap(g, flip, w, wOff, o, c, 0, v), Winograd.tap(g, flip, w, wOff, o, c, 1, v),
                            Winograd.tap(g, flip, w, wOff, o, c, 2, v), t, v, R);
                }
                for (int a = 0; a < 6; a++) {
                    kernelTransform(t[a * R], t[a * R + 1], t[a * R + 2], t, 18 + a * 6, 1);
                }
                for (int xi = 0; xi < XI; xi++) {
                    u[xi * step + at] = t[18 + xi];
                }
            }
        }
    }

    /** {@code out[off + i * stride] = (G k)[i]} for a column {@code k} of three taps. */
    private static void kernelTransform(float k0, float k1, float k2, float[] out, int off, int stride) {
        float s = (k0 + k2) * (-1 / 6f);
        float d = k1 * (-1 / 6f);
        float e = k0 * (1 / 24f) + k2 * (1 / 6f);
        float f = k1 * (1 / 12f);
        out[off] = k0 * (1 / 4f);
        out[off + stride] = s + d;
        out[off + 2 * stride] = s - d;
        out[off + 3 * stride] = e + f;
        out[off + 4 * stride] = e - f;
        out[off + 5 * stride] = k2;
    }

    /** Slots in the ring: every sample a block of {@code block} tiles can touch. */
    private static int slots(ConvGeom g, int samples, int block) {
        return Math.min(samples, (block - 1) / Winograd.tilesPerSample(g) + 2);
    }

    @Override
    public void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] u, float[] y, int yOff,
                        Epilogue epi) {
        run(ws, g, null, false, null, 0, b0, b1, x, xOff, u, y, yOff, epi);
    }

    @Override
    public void forwardPooled(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x,
                              int xOff, float[] u, float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        run(ws, g, pool, relu, bias, bOff, b0, b1, x, xOff, u, y, yOff, epi);
    }

    /** The forward pass; with {@code pool}, each finished sample is pooled in its slot, then stored. */
    private void run(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, float[] bias, int bOff, int b0, int b1,
                     float[] x, int xOff, float[] u, float[] y, int yOff, Epilogue epi) {
        int tps = Winograd.tilesPerSample(g);
        int tw = Winograd.tilesW(g);
        int cq = roundUp(g.c(), CQ);
        int on = roundUp(g.o(), NR);
        int oq = roundUp(g.o(), L);
        int wp = M * tw + 2;
        int xslot = (M * Winograd.tilesH(g) + 2) * wp * cq;
        int yslot = M * M * tps * oq;
        int tiles = (b1 - b0) * tps;
        int slots = slots(g, b1 - b0, TB);
        float[] xr = ws.floats(Workspace.Buffer.WINOGRAD_IN, slots * xslot);
        float[] yr = ws.floats(Workspace.Buffer.WINOGRAD_DY, slots * yslot + L * oq);
        float[] pr = pool == null ? null : ws.floats(Workspace.Buffer.WINOGRAD_POOL, (pool.outSize() / g.o() + L) * oq);
        int vs = TB * cq + PAD;
        int ms = TB * on + PAD;
        float[] v = ws.floats(Workspace.Buffer.WINOGRAD_V, XI * vs);
        float[] m = ws.floats(Workspace.Buffer.WINOGRAD_M, XI * ms);
        float[] tmp = ws.floats(Workspace.Buffer.WINOGRAD_TMP, XI * L);
        int[] idx = ws.ints(Math.max(L, Math.max(g.h() * g.w(), g.p())));
        int hp = M * Winograd.tilesH(g) + 2;
        int panels = on / NR;
        int loaded = 0;
        int done = 0;
        for (int t0 = 0; t0 < tiles; t0 += TB) {
            int nb = Math.min(TB, tiles - t0);
            for (int last = (t0 + nb - 1) / tps; loaded <= last; loaded++) {
                ChannelsLast.in(x, xOff + (b0 + loaded) * g.inSize(), g.c(), g.h(), g.w(), xr, (loaded % slots) * xslot,
                        hp, wp, g.pt(), g.pl(), cq, idx);
            }
            for (int l = 0; l < nb; l++) {
                int t = t0 + l;
                int w = t % tps;
                int at = (t / tps % slots) * xslot + (M * (w / tw) * wp + M * (w % tw)) * cq;
                for (int cg = 0; cg < cq; cg += L) {
                    WinogradTransforms.input(xr, at + cg, cq, wp * cq, v, l * cq + cg, vs, tmp);
                }
            }
            for (int xi = 0; xi < XI; xi++) {
                for (int r = 0; r < nb; r += FMR) {
                    for (int p = 0; p < panels; p++) {
                        if (FMR == 6) {
                            MicroKernel.runSixRows(g.c(), v, xi * vs + r * cq, cq, u, (xi * panels + p) * g.c() * NR, NR,
                                    m, xi * ms + r * on + p * NR, on, false);
                        } else {
                            MicroKernel.runRows(g.c(), v, xi * vs + r * cq, cq, u, (xi * panels + p) * g.c() * NR, NR,
                                    m, xi * ms + r * on + p * NR, on, false);
                        }
                    }
                }
            }
            for (int l = 0; l < nb; l++) {
                int t = t0 + l;
                int w = t % tps;
                int at = (t / tps % slots) * yslot + (M * (w / tw) * M * tw + M * (w % tw)) * oq;
                for (int og = 0; og < oq; og += L) {
                    WinogradTransforms.output(m, l * on + og, ms, tmp, yr, at + og, oq, M * tw * oq);
                }
            }
            for (int complete = (t0 + nb) / tps; done < complete; done++) {
                if (pool != null) {
                    int yb = yOff + (b0 + done) * pool.outSize();
                    ChannelsLast.pool2x2(yr, (done % slots) * yslot, M * tw, oq, pool.oh(), pool.ow(), pr, 0);
                    ChannelsLast.out(pr, 0, pool.ow(), oq, y, yb, g.o(), pool.oh(), pool.ow(), idx, bias, bOff, 0, g.o(),
                            relu);
                    if (!epi.isEmpty()) {
                        epi.apply(y, yb, pool.outSize());
                    }
                    continue;
                }
                int yb = yOff + (b0 + done) * g.outSize();
                boolean fused = ChannelsLast.fuses(epi, g.p(), yb - epi.base());
                ChannelsLast.out(yr, (done % slots) * yslot, M * tw, oq, y, yb, g.o(), g.oh(), g.ow(), idx,
                        fused ? epi : Epilogue.NONE);
                if (!fused) {
                    epi.apply(y, yb, g.outSize());
                }
            }
        }
    }

    @Override
    public int partialSize(ConvGeom g) {
        return XI * roundUp(g.c(), CQ) * roundUp(g.o(), NR);
    }

    @Override
    public void weightGradient(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                               float[] partial, float[] db) {
        int tps = Winograd.tilesPerSample(g);
        int tw = Winograd.tilesW(g);
        int cq = roundUp(g.c(), CQ);
        int on = roundUp(g.o(), NR);
        int oq = roundUp(g.o(), L);
        int wp = M * tw + 2;
        int xslot = (M * Winograd.tilesH(g) + 2) * wp * cq;
        int dslot = M * M * tps * on;
        int tiles = (b1 - b0) * tps;
        int slots = slots(g, b1 - b0, TBW);
        float[] xr = ws.floats(Workspace.Buffer.WINOGRAD_IN, slots * xslot);
        float[] dr = ws.floats(Workspace.Buffer.WINOGRAD_DY, slots * dslot);
        int vs = TBW * cq + PAD;
        int zs = TBW * on + PAD;
        float[] v = ws.floats(Workspace.Buffer.WINOGRAD_V, XI * vs);
        float[] z = ws.floats(Workspace.Buffer.WINOGRAD_M, XI * zs);
        float[] tmp = ws.floats(Workspace.Buffer.WINOGRAD_TMP, XI * L);
        int[] idx = ws.ints(Math.max(L, Math.max(g.h() * g.w(), g.p())));
        int hp = M * Winograd.tilesH(g) + 2;
        if (oq < on) {
            Arrays.fill(z, 0, XI * zs, 0f);
        }
        int loaded = 0;
        for (int t0 = 0; t0 < tiles; t0 += TBW) {
            int nb = Math.min(TBW, tiles - t0);
            for (int last = (t0 + nb - 1) / tps; loaded <= last; loaded++) {
                int s = loaded % slots;
                ChannelsLast.in(x, xOff + (b0 + loaded) * g.inSize(), g.c(), g.h(), g.w(), xr, s * xslot, hp, wp, g.pt(),
                        g.pl(), cq, idx);
                int yb = dyOff + (b0 + loaded) * g.outSize();
                ChannelsLast.in(dy, yb, g.o(), g.oh(), g.ow(), dr, s * dslot, M * Winograd.tilesH(g), M * tw, 0, 0, on,
                        idx);
                if (db != null) {
                    channelSums(dy, yb, g.o(), g.p(), db);
                }
            }
            for (int l = 0; l < nb; l++) {
                int t = t0 + l;
                int w = t % tps;
                int s = t / tps % slots;
                int at = s * xslot + (M * (w / tw) * wp + M * (w % tw)) * cq;
                for (int cg = 0; cg < cq; cg += L) {
                    WinogradTransforms.input(xr, at + cg, cq, wp * cq, v, l * cq + cg, vs, tmp);
                }
                int dt = s * dslot + (M * (w / tw) * M * tw + M * (w % tw)) * on;
                for (int og = 0; og < oq; og += L) {
                    WinogradTransforms.gradient(dr, dt + og, on, M * tw * on, z, l * on + og, zs, tmp);
                }
            }
            for (int xi = 0; xi < XI; xi++) {
                for (int c0 = 0; c0 < cq; c0 += MR) {
                    for (int o0 = 0; o0 < on; o0 += NR) {
                        MicroKernel.run(nb, v, xi * vs + c0, cq, z, xi * zs + o0, on, partial,
                                (xi * cq + c0) * on + o0, on, true);
                    }
                }
            }
        }
    }

    /** {@code db[o] += sum of dy[yb + o * P ..][P]}: vector partial sums, reduced in a fixed order. */
    private static void channelSums(float[] dy, int yb, int channels, int p, float[] db) {
        for (int o = 0; o < channels; o++) {
            int plane = yb + o * p;
            FloatVector acc = FloatVector.zero(WinogradTransforms.S);
            int j = 0;
            for (int bound = WinogradTransforms.S.loopBound(p); j < bound; j += L) {
                acc = acc.add(FloatVector.fromArray(WinogradTransforms.S, dy, plane + j));
            }
            float sum = VMath.sum(acc);
            for (; j < p; j++) {
                sum += dy[plane + j];
            }
            db[o] += sum;
        }
    }

    @Override
    public void finishWeights(Workspace ws, ConvGeom g, int i0, int i1, float[][] partials, int pieces, float[] dw,
                              int dwOff) {
        int cq = roundUp(g.c(), CQ);
        int on = roundUp(g.o(), NR);
        float[] sum = ws.floats(Workspace.Buffer.WINOGRAD_TMP, XI + 18);
        for (int i = i0; i < i1; i++) {
            int o = i / g.c();
            int c = i % g.c();
            for (int xi = 0; xi < XI; xi++) {
                int at = (xi * cq + c) * on + o;
                float s = partials[0][at];
                for (int q = 1; q < pieces; q++) {
                    s += partials[q][at];
                }
                sum[xi] = s;
            }
            // G^T P G: G^T times the columns of P, then the three rows times G.
            for (int u = 0; u < R; u++) {
                for (int b = 0; b < 6; b++) {
                    float s = 0;
                    for (int a = 0; a < 6; a++) {
                        s += GT[u][a] * sum[a * 6 + b];
                    }
                    sum[XI + u * 6 + b] = s;
                }
            }
            for (int u = 0; u < R; u++) {
                for (int v = 0; v < R; v++) {
                    float s = 0;
                    for (int b = 0; b < 6; b++) {
                        s += sum[XI + u * 6 + b] * GT[v][b];
                    }
                    dw[dwOff + i * R * R + u * R + v] = s;
                }
            }
        }
    }
}
