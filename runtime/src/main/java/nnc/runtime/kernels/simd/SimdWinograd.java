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
 *     y slot          = A^T M A                       per tile, L output channels at a time;
 *                                                   pooled (inference): only its 2x2 maxima, into
 *                                                   a pooled slot [PH][PW][O']
 *     each sample the block finished: slot -> y [O, OH, OW] (or [O, PH, PW]) with the epilogue
 *                                                   (bias, ReLU; other steps in their own pass)
 *   weight gradient, per block of TBW tiles:
 *     V [36][TBW][Cw] as above;  Z [36][TBW][Ow] = A dY A^T   dy transposed per sample like x
 *     partial [36][Ow][Cw] += Z_xi^T . V_xi           micro-kernel (WR x NR), K = the block's tiles
 *   U [36][O''/NR][C][NR] = G w G^T, the micro-kernel's B panels
 *   C' = C rounded up to L, O'' = O rounded up to NR; Cw = C rounded up to NR, Ow = O rounded
 *   up to L then to WR (rows past O are zero); slots: a ring holding every sample one block
 *   touches
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
     * Rows (output channels) of the weight-gradient products' tile: 6 with 8 lanes, as {@link #FMR},
     * else MR. Its columns are NR input channels.
     */
    static final int WR = L == 8 ? 6 : MR;
    /**
     * Floats between the 36 planes of a block's V and M beyond their size: without it the planes
     * are 2 or 4 KiB apart, a transform's 36 loads or stores fall in one or two L1 sets, and
     * the output transform ran at a third of its speed.
     */
    static final int PAD = 16;

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

    /**
     * L output channels of a panel at a time, the lanes (contiguous in U): their nine taps
     * gathered, then G k G^T in vectors, down the kernel's three columns, then along six rows.
     */
    @Override
    public void transformWeights(Workspace ws, ConvGeom g, boolean flip, int o0, int o1, float[] w, int wOff,
                                 float[] u) {
        int panels = roundUp(g.o(), NR) / NR;
        int step = panels * g.c() * NR;
        float[] t = ws.floats(Workspace.Buffer.WINOGRAD_TMP, (R * R + 6 * R) * L);
        for (int o = o0; o < Math.min(o1, panels * NR); o += L) {
            for (int c = 0; c < g.c(); c++) {
                for (int j = 0; j < L; j++) {
                    for (int k = 0; k < R * R; k++) {
                        t[k * L + j] = o + j < g.o() ? Winograd.tap(g, flip, w, wOff, o + j, c, k / R, k % R) : 0f;
                    }
                }
                for (int v = 0; v < R; v++) {
                    WinogradTransforms.kernel(t, v * L, R * L, t, (R * R + v) * L, R * L);
                }
                int at = (o / NR * g.c() + c) * NR + o % NR;
                for (int a = 0; a < 6; a++) {
                    WinogradTransforms.kernel(t, (R * R + a * R) * L, L, u, at + a * 6 * step, step);
                }
            }
        }
    }

    /** Slots in the ring: every sample a block of {@code block} tiles can touch. */
    private static int slots(ConvGeom g, int samples, int block) {
        return Math.min(samples, (block - 1) / Winograd.tilesPerSample(g) + 2);
    }

    @Override
    public void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] u, float[] y, int yOff,
                        Epilogue epi) {
        run(ws, g, null, false, null, 0, b0, b1, x, xOff, 1, u, y, yOff, epi);
    }

    @Override
    public void forwardPooled(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x,
                              int xOff, int xBlock, float[] u, float[] bias, int bOff, float[] y, int yOff, Epilogue epi) {
        run(ws, g, pool, relu, bias, bOff, b0, b1, x, xOff, xBlock, u, y, yOff, epi);
    }

    /** A vector of channels with 8 lanes (a slot pixel's channels copied a vector at a time); with 16, NCHW. */
    @Override
    public int channelBlock() {
        return L == Transpose8.L ? L : 1;
    }

    /**
     * The forward pass, {@code x} blocked by {@code xBlock} channels (1: NCHW); with {@code pool},
     * each tile's output transform stores its 2x2 maxima in the sample's pooled slot (a 4 x 4
     * tile at a multiple of 4 holds whole windows), and each finished sample is stored from there.
     */
    private void run(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, float[] bias, int bOff, int b0, int b1,
                     float[] x, int xOff, int xBlock, float[] u, float[] y, int yOff, Epilogue epi) {
        int tps = Winograd.tilesPerSample(g);
        int tw = Winograd.tilesW(g);
        int cq = roundUp(g.c(), L);
        int on = roundUp(g.o(), NR);
        int oq = roundUp(g.o(), L);
        int wp = M * tw + 2;
        int xslot = (M * Winograd.tilesH(g) + 2) * wp * cq;
        int yslot = M * M * tps * oq;
        int tiles = (b1 - b0) * tps;
        int slots = slots(g, b1 - b0, TB);
        float[] xr = ws.floats(Workspace.Buffer.WINOGRAD_IN, slots * xslot);
        float[] yr = pool != null ? null : ws.floats(Workspace.Buffer.WINOGRAD_DY, slots * yslot + L * oq);
        int pslot = pool == null ? 0 : pool.oh() * pool.ow() * oq;
        float[] pr = pool == null ? null : ws.floats(Workspace.Buffer.WINOGRAD_POOL, slots * pslot + L * oq);
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
                int xb = xOff + (b0 + loaded) * g.inSize();
                if (xBlock == 1) {
                    ChannelsLast.in(x, xb, g.c(), g.h(), g.w(), xr, (loaded % slots) * xslot, hp, wp, g.pt(), g.pl(), cq,
                            idx);
                } else {
                    ChannelsLast.inBlocked(x, xb, xBlock, g.c(), g.h(), g.w(), xr, (loaded % slots) * xslot, hp, wp,
                            g.pt(), g.pl(), cq);
                }
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
                            MicroKernel.runSixRows(g.c(), v, xi * vs + r * cq, cq, 1, u, (xi * panels + p) * g.c() * NR, NR,
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
                if (pool != null) {
                    // The tile's pooled rows and columns that exist (a 4 x 4 tile holds 2 x 2 windows).
                    int rows = Math.min(2, pool.oh() - 2 * (w / tw));
                    int cols = Math.min(2, pool.ow() - 2 * (w % tw));
                    int at = (t / tps % slots) * pslot + (2 * (w / tw) * pool.ow() + 2 * (w % tw)) * oq;
                    for (int og = 0; rows > 0 && cols > 0 && og < oq; og += L) {
                        WinogradTransforms.outputPooled(m, l * on + og, ms, tmp, pr, at + og, oq, pool.ow() * oq, rows,
                                cols);
                    }
                    continue;
                }
                int at = (t / tps % slots) * yslot + (M * (w / tw) * M * tw + M * (w % tw)) * oq;
                for (int og = 0; og < oq; og += L) {
                    WinogradTransforms.output(m, l * on + og, ms, tmp, yr, at + og, oq, M * tw * oq);
                }
            }
            for (int complete = (t0 + nb) / tps; done < complete; done++) {
                if (pool != null) {
                    int yb = yOff + (b0 + done) * pool.outSize();
                    ChannelsLast.out(pr, (done % slots) * pslot, pool.ow(), oq, y, yb, g.o(), pool.oh(), pool.ow(), idx,
                            bias, bOff, 0, g.o(), relu);
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
        return XI * gradientRows(g) * roundUp(g.c(), NR);
    }

    /** Output channels of the weight gradient's Z and partial: whole vectors, whole WR-row tiles. */
    private static int gradientRows(ConvGeom g) {
        return roundUp(roundUp(g.o(), L), WR);
    }

    @Override
    public void weightGradient(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                               float[] partial, float[] db) {
        int tps = Winograd.tilesPerSample(g);
        int tw = Winograd.tilesW(g);
        int cq = roundUp(g.c(), NR);
        int on = gradientRows(g);
        int oq = roundUp(g.o(), L);
        int wp = M * tw + 2;
        int xslot = (M * Winograd.tilesH(g) + 2) * wp * cq;
        int dslot = M * M * tps * oq;
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
        for (int r = 0; oq < on && r < XI * TBW; r++) {
            int row = r / TBW * zs + r % TBW * on;
            Arrays.fill(z, row + oq, row + on, 0f);
        }
        int loaded = 0;
        for (int t0 = 0; t0 < tiles; t0 += TBW) {
            int nb = Math.min(TBW, tiles - t0);
            for (int last = (t0 + nb - 1) / tps; loaded <= last; loaded++) {
                int s = loaded % slots;
                ChannelsLast.in(x, xOff + (b0 + loaded) * g.inSize(), g.c(), g.h(), g.w(), xr, s * xslot, hp, wp, g.pt(),
                        g.pl(), cq, idx);
                int yb = dyOff + (b0 + loaded) * g.outSize();
                ChannelsLast.in(dy, yb, g.o(), g.oh(), g.ow(), dr, s * dslot, M * Winograd.tilesH(g), M * tw, 0, 0, oq,
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
                int dt = s * dslot + (M * (w / tw) * M * tw + M * (w % tw)) * oq;
                for (int og = 0; og < oq; og += L) {
                    WinogradTransforms.gradient(dr, dt + og, oq, M * tw * oq, z, l * on + og, zs, tmp);
                }
            }
            for (int xi = 0; xi < XI; xi++) {
                for (int o0 = 0; o0 < on; o0 += WR) {
                    for (int c0 = 0; c0 < cq; c0 += NR) {
                        int a = xi * zs + o0;
                        int b = xi * vs + c0;
                        int c = (xi * on + o0) * cq + c0;
                        if (WR == 6) {
                            MicroKernel.runSixRows(nb, z, a, 1, on, v, b, cq, partial, c, cq, true);
                        } else {
                            MicroKernel.run(nb, z, a, on, v, b, cq, partial, c, cq, true);
                        }
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

    /**
     * Takes L channels of one output channel at a time (the partials hold channels contiguous):
     * their 36 sums, then G^T P G with the lanes as channels, then each lane's nine taps out.
     * A short run (the range's or the row's end) goes the same way with fewer lanes.
     */
    @Override
    public void finishWeights(Workspace ws, ConvGeom g, int i0, int i1, float[][] partials, int pieces, float[] dw,
                              int dwOff) {
        int cq = roundUp(g.c(), NR);
        int on = gradientRows(g);
        float[] t = ws.floats(Workspace.Buffer.WINOGRAD_TMP, (XI + 18 + R * R) * L);
        for (int i = i0; i < i1; ) {
            int lanes = Math.min(L, Math.min(g.c() - i % g.c(), i1 - i));
            sumPartials(partials, pieces, i / g.c() * cq + i % g.c(), on * cq, lanes, t);
            WinogradTransforms.kernelGradients(t);
            for (int k = 0; k < lanes; k++, i++) {
                for (int j = 0; j < R * R; j++) {
                    dw[dwOff + i * R * R + j] = t[(XI + 18 + j) * L + k];
                }
            }
        }
    }

    /**
     * {@code t[xi * L + k] = sum over pieces of partials[q][at + xi * xiStride + k]}, added in
     * piece order; lanes past {@code lanes} are zero.
     */
    private static void sumPartials(float[][] partials, int pieces, int at, int xiStride, int lanes, float[] t) {
        for (int xi = 0; xi < XI; xi++, at += xiStride) {
            if (lanes == L) {
                FloatVector s = FloatVector.fromArray(WinogradTransforms.S, partials[0], at);
                for (int q = 1; q < pieces; q++) {
                    s = s.add(FloatVector.fromArray(WinogradTransforms.S, partials[q], at));
                }
                s.intoArray(t, xi * L);
                continue;
            }
            for (int k = 0; k < L; k++) {
                float s = k < lanes ? partials[0][at + k] : 0f;
                for (int q = 1; k < lanes && q < pieces; q++) {
                    s += partials[q][at + k];
                }
                t[xi * L + k] = s;
            }
        }
    }
}
