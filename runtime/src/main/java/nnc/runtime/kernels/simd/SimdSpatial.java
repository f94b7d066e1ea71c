package nnc.runtime.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import jdk.incubator.vector.VectorShuffle;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;
import nnc.runtime.kernels.scalar.ScalarSpatial;

/**
 * Convolution as im2col + the packed GEMM, per sample:
 *
 * <pre>
 *   forward          y_b [O, P]  = w [O, K] . col_b [K, P]           (epilogue per block)
 *   backward data    dcol [K, P] = w^T [K, O] . dy_b [O, P];  dx_b = col2im(dcol)
 *   backward weights dw [O, K]  += dy_b [O, P] . col_b^T [P, K]
 *   K = C*KH*KW, P = OH*OW; a 1x1 stride-1 convolution skips im2col (col_b is x_b).
 * </pre>
 * Batch-norm statistics and the channel affine are vectorised along the positions of a
 * channel. Pooling with 2 x 2 windows at stride 2 (the common case) is vectorised: two input
 * rows give a vertical maximum, a two-vector shuffle separates even and odd columns; other
 * pooling geometries use the reference loops.
 */
public final class SimdSpatial extends ScalarSpatial {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private final SimdGemm gemm;

    public SimdSpatial(SimdGemm gemm) {
        this.gemm = gemm;
    }

    @Override
    public void convForward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff,
                            float[] y, int yOff, Epilogue epi) {
        int k = g.k();
        int p = g.p();
        for (int b = b0; b < b1; b++) {
            int xb = xOff + b * g.inSize();
            int yb = yOff + b * g.outSize();
            if (g.pointwise()) {
                gemm.gemmSerial(ws, false, false, g.o(), p, k, w, wOff, k, x, xb, p, y, yb, p, false, epi);
            } else {
                float[] col = ws.floats(Workspace.CONV_COL, k * p);
                im2col(g, x, xb, col);
                gemm.gemmSerial(ws, false, false, g.o(), p, k, w, wOff, k, col, 0, p, y, yb, p, false, epi);
            }
        }
    }

    @Override
    public void convBackwardData(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] w, int wOff,
                                 float[] dx, int dxOff, Epilogue epi) {
        int k = g.k();
        int p = g.p();
        for (int b = b0; b < b1; b++) {
            int xb = dxOff + b * g.inSize();
            int yb = dyOff + b * g.outSize();
            if (g.pointwise()) {
                gemm.gemmSerial(ws, true, false, k, p, g.o(), w, wOff, k, dy, yb, p, dx, xb, p, false, epi);
            } else {
                float[] dcol = ws.floats(Workspace.CONV_COL, k * p);
                gemm.gemmSerial(ws, true, false, k, p, g.o(), w, wOff, k, dy, yb, p, dcol, 0, p, false, Epilogue.NONE);
                col2im(g, dcol, dx, xb);
                if (!epi.isEmpty()) {
                    epi.apply(dx, xb, g.inSize());
                }
            }
        }
    }

    @Override
    public void convBackwardWeights(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x,
                                    int xOff, float[] dw, int dwOff) {
        int k = g.k();
        int p = g.p();
        for (int b = b0; b < b1; b++) {
            int xb = xOff + b * g.inSize();
            int yb = dyOff + b * g.outSize();
            // dwT [K, O] += col_b [K, P] . dy_b^T [P, O]
            if (g.pointwise()) {
                gemm.gemmSerial(ws, false, true, k, g.o(), p, x, xb, p, dy, yb, p, dw, dwOff, g.o(), true, Epilogue.NONE);
            } else {
                float[] col = ws.floats(Workspace.CONV_COL, k * p);
                im2col(g, x, xb, col);
                gemm.gemmSerial(ws, false, true, k, g.o(), p, col, 0, p, dy, yb, p, dw, dwOff, g.o(), true, Epilogue.NONE);
            }
        }
    }

    /** col[(c*KH + u)*KW + v][i*OW + j] = x[c, i*SH - PT + u, j*SW - PL + v], zero outside. */
    static void im2col(ConvGeom g, float[] x, int xb, float[] col) {
        int p = g.p();
        int ow = g.ow();
        for (int c = 0; c < g.c(); c++) {
            for (int u = 0; u < g.kh(); u++) {
                for (int v = 0; v < g.kw(); v++) {
                    int row = ((c * g.kh() + u) * g.kw() + v) * p;
                    // Output columns j whose input column q = j*SW - PL + v is inside [0, W).
                    int jlo = Math.max(0, ceilDiv(g.pl() - v, g.sw()));
                    int jhi = Math.min(ow, ceilDiv(g.w() + g.pl() - v, g.sw()));
                    for (int i = 0; i < g.oh(); i++) {
                        int r = i * g.sh() - g.pt() + u;
                        int dst = row + i * ow;
                        if (r < 0 || r >= g.h() || jlo >= jhi) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = xb + (c * g.h() + r) * g.w() - g.pl() + v;
                        if (jlo > 0) {
                            Arrays.fill(col, dst, dst + jlo, 0f);
                        }
                        if (g.sw() == 1) {
                            System.arraycopy(x, src + jlo, col, dst + jlo, jhi - jlo);
                        } else {
                            for (int j = jlo; j < jhi; j++) {
                                col[dst + j] = x[src + j * g.sw()];
                            }
                        }
                        if (jhi < ow) {
                            Arrays.fill(col, dst + jhi, dst + ow, 0f);
                        }
                    }
                }
            }
        }
    }

    /** dx_b = the sum of dcol's entries over every window position that reads each input. */
    static void col2im(ConvGeom g, float[] dcol, float[] dx, int xb) {
        int p = g.p();
        int ow = g.ow();
        Arrays.fill(dx, xb, xb + g.inSize(), 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int u = 0; u < g.kh(); u++) {
                for (int v = 0; v < g.kw(); v++) {
                    int row = ((c * g.kh() + u) * g.kw() + v) * p;
                    int jlo = Math.max(0, ceilDiv(g.pl() - v, g.sw()));
                    int jhi = Math.min(ow, ceilDiv(g.w() + g.pl() - v, g.sw()));
                    for (int i = 0; i < g.oh(); i++) {
                        int r = i * g.sh() - g.pt() + u;
                        if (r < 0 || r >= g.h() || jlo >= jhi) {
                            continue;
                        }
                        int dst = xb + (c * g.h() + r) * g.w() - g.pl() + v;
                        int src = row + i * ow;
                        if (g.sw() == 1) {
                            addRun(dx, dst + jlo, dcol, src + jlo, jhi - jlo);
                        } else {
                            for (int j = jlo; j < jhi; j++) {
                                dx[dst + j * g.sw()] += dcol[src + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private static void addRun(float[] y, int yo, float[] x, int xo, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] += x[xo + i];
        }
    }

    static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }

    // ---- pooling, 2 x 2 at stride 2 ----

    /** Lanes 0, 2, 4 ... of two concatenated vectors, and lanes 1, 3, 5 ... */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);
    /** Interleaving two vectors: (a0, b0, a1, b1 ...) from the low halves, then the high halves. */
    private static final VectorShuffle<Float> ZIP_LO = VectorShuffle.fromOp(S, i -> (i % 2) * L + i / 2);
    private static final VectorShuffle<Float> ZIP_HI = VectorShuffle.fromOp(S, i -> (i % 2) * L + L / 2 + i / 2);

    private static boolean twoByTwo(PoolGeom g) {
        return g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.pt() == 0 && g.pl() == 0
                && g.oh() == g.h() / 2 && g.ow() == g.w() / 2;
    }

    @Override
    public void maxPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        if (!twoByTwo(g)) {
            super.maxPool(g, b0, b1, x, xOff, y, yOff, epi);
            return;
        }
        pool2(g, b0, b1, x, xOff, y, yOff, true, epi);
    }

    @Override
    public void avgPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        if (!twoByTwo(g)) {
            super.avgPool(g, b0, b1, x, xOff, y, yOff, epi);
            return;
        }
        pool2(g, b0, b1, x, xOff, y, yOff, false, epi);
    }

    /**
     * True when every masked vector access of a plane lies inside its array. A masked access
     * whose vector reaches past the end takes the JDK's lane-by-lane path (which can
     * allocate); the last planes of an arena go to the reference loops instead.
     */
    private static boolean inside(float[] a, int planeEnd) {
        return planeEnd + 2 * L <= a.length;
    }

    /** y[i, j] = max (or mean) of x[2i .. 2i+1, 2j .. 2j+1], L outputs at a time. */
    private static void pool2(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, boolean max,
                              Epilogue epi) {
        int w = g.w();
        int ow = g.ow();
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            int xc = xOff + plane * g.h() * w;
            int yc = yOff + plane * g.oh() * ow;
            if (!inside(x, xc + g.h() * w) || !inside(y, yc + g.oh() * ow)) {
                if (max) {
                    maxPoolPlane(g, x, xc, y, yc);
                } else {
                    avgPoolPlane(g, x, xc, y, yc);
                }
                applyPlane(epi, y, yc, g.oh() * ow);
                continue;
            }
            for (int i = 0; i < g.oh(); i++) {
                int r0 = xc + 2 * i * w;
                int r1 = r0 + w;
                for (int j = 0; j < ow; j += L) {
                    VectorMask<Float> lo = Masks.upTo(2 * j, 2 * ow);
                    VectorMask<Float> hi = Masks.upTo(2 * j + L, 2 * ow);
                    FloatVector a0 = FloatVector.fromArray(S, x, r0 + 2 * j, lo);
                    FloatVector a1 = FloatVector.fromArray(S, x, r0 + 2 * j + L, hi);
                    FloatVector c0 = FloatVector.fromArray(S, x, r1 + 2 * j, lo);
                    FloatVector c1 = FloatVector.fromArray(S, x, r1 + 2 * j + L, hi);
                    FloatVector out;
                    if (max) {
                        FloatVector v0 = a0.max(c0);
                        FloatVector v1 = a1.max(c1);
                        out = v0.rearrange(EVEN, v1).max(v0.rearrange(ODD, v1));
                    } else {
                        FloatVector v0 = a0.add(c0);
                        FloatVector v1 = a1.add(c1);
                        out = v0.rearrange(EVEN, v1).add(v0.rearrange(ODD, v1)).mul(0.25f);
                    }
                    out.intoArray(y, yc + i * ow + j, Masks.upTo(j, ow));
                }
            }
            applyPlane(epi, y, yc, g.oh() * ow);
        }
    }

    @Override
    public void maxPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                                float[] dx, int dxOff, Epilogue epi) {
        if (!twoByTwo(g)) {
            super.maxPoolBackward(g, b0, b1, dy, dyOff, x, xOff, dx, dxOff, epi);
            return;
        }
        int w = g.w();
        int ow = g.ow();
        FloatVector zero = FloatVector.zero(S);
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            int xc = xOff + plane * g.h() * w;
            int dc = dxOff + plane * g.h() * w;
            int yc = dyOff + plane * g.oh() * ow;
            if (!inside(x, xc + g.h() * w) || !inside(dx, dc + g.h() * w) || !inside(dy, yc + g.oh() * ow)) {
                maxPoolBackwardPlane(g, dy, yc, x, xc, dx, dc);
                applyPlane(epi, dx, dc, g.h() * w);
                continue;
            }
            for (int i = 0; i < g.oh(); i++) {
                int r0 = 2 * i * w;
                int r1 = r0 + w;
                for (int j = 0; j < ow; j += L) {
                    VectorMask<Float> lo = Masks.upTo(2 * j, 2 * ow);
                    VectorMask<Float> hi = Masks.upTo(2 * j + L, 2 * ow);
                    FloatVector a0 = FloatVector.fromArray(S, x, xc + r0 + 2 * j, lo);
                    FloatVector a1 = FloatVector.fromArray(S, x, xc + r0 + 2 * j + L, hi);
                    FloatVector c0 = FloatVector.fromArray(S, x, xc + r1 + 2 * j, lo);
                    FloatVector c1 = FloatVector.fromArray(S, x, xc + r1 + 2 * j + L, hi);
                    FloatVector tl = a0.rearrange(EVEN, a1);
                    FloatVector tr = a0.rearrange(ODD, a1);
                    FloatVector bl = c0.rearrange(EVEN, c1);
                    FloatVector br = c0.rearrange(ODD, c1);
                    FloatVector m = tl.max(tr).max(bl.max(br));
                    // The first maximum in scan order (top-left, top-right, bottom-left, bottom-right) takes dy.
                    VectorMask<Float> mtl = tl.eq(m);
                    VectorMask<Float> mtr = tr.eq(m).andNot(mtl);
                    VectorMask<Float> mbl = bl.eq(m).andNot(mtl.or(mtr));
                    VectorMask<Float> mbr = mtl.or(mtr).or(mbl).not();
                    FloatVector d = FloatVector.fromArray(S, dy, yc + i * ow + j, Masks.upTo(j, ow));
                    FloatVector dtl = zero.blend(d, mtl);
                    FloatVector dtr = zero.blend(d, mtr);
                    FloatVector dbl = zero.blend(d, mbl);
                    FloatVector dbr = zero.blend(d, mbr);
                    dtl.rearrange(ZIP_LO, dtr).intoArray(dx, dc + r0 + 2 * j, lo);
                    dtl.rearrange(ZIP_HI, dtr).intoArray(dx, dc + r0 + 2 * j + L, hi);
                    dbl.rearrange(ZIP_LO, dbr).intoArray(dx, dc + r1 + 2 * j, lo);
                    dbl.rearrange(ZIP_HI, dbr).intoArray(dx, dc + r1 + 2 * j + L, hi);
                }
            }
            zeroLeftovers(g, dx, dc);
            applyPlane(epi, dx, dc, g.h() * w);
        }
    }

    @Override
    public void avgPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] dx, int dxOff, Epilogue epi) {
        if (!twoByTwo(g)) {
            super.avgPoolBackward(g, b0, b1, dy, dyOff, dx, dxOff, epi);
            return;
        }
        int w = g.w();
        int ow = g.ow();
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            int dc = dxOff + plane * g.h() * w;
            int yc = dyOff + plane * g.oh() * ow;
            if (!inside(dx, dc + g.h() * w) || !inside(dy, yc + g.oh() * ow)) {
                avgPoolBackwardPlane(g, dy, yc, dx, dc);
                applyPlane(epi, dx, dc, g.h() * w);
                continue;
            }
            for (int i = 0; i < g.oh(); i++) {
                int r0 = dc + 2 * i * w;
                int r1 = r0 + w;
                for (int j = 0; j < ow; j += L) {
                    VectorMask<Float> lo = Masks.upTo(2 * j, 2 * ow);
                    VectorMask<Float> hi = Masks.upTo(2 * j + L, 2 * ow);
                    FloatVector d = FloatVector.fromArray(S, dy, yc + i * ow + j, Masks.upTo(j, ow)).mul(0.25f);
                    FloatVector left = d.rearrange(ZIP_LO, d);
                    FloatVector right = d.rearrange(ZIP_HI, d);
                    left.intoArray(dx, r0 + 2 * j, lo);
                    right.intoArray(dx, r0 + 2 * j + L, hi);
                    left.intoArray(dx, r1 + 2 * j, lo);
                    right.intoArray(dx, r1 + 2 * j + L, hi);
                }
            }
            zeroLeftovers(g, dx, dc);
            applyPlane(epi, dx, dc, g.h() * w);
        }
    }

    /** The last column and row of an odd-sized plane are in no window: their gradient is zero. */
    private static void zeroLeftovers(PoolGeom g, float[] dx, int dc) {
        int w = g.w();
        if (g.w() % 2 != 0) {
            for (int r = 0; r < 2 * g.oh(); r++) {
                dx[dc + r * w + w - 1] = 0f;
            }
        }
        if (g.h() % 2 != 0) {
            Arrays.fill(dx, dc + (g.h() - 1) * w, dc + g.h() * w, 0f);
        }
    }

    // ---- batch norm ----

    @Override
    public void channelSums(int n, int channels, int inner, int c0, int c1, float[] src, int off,
                            double[] out, float[] mean, double[] squares) {
        if (inner < L) {
            super.channelSums(n, channels, inner, c0, c1, src, off, out, mean, squares);
            return;
        }
        int bound = S.loopBound(inner);
        for (int c = c0; c < c1; c++) {
            double s = 0;
            double q = 0;
            float m = mean == null ? 0f : mean[c];
            for (int b = 0; b < n; b++) {
                int base = off + (b * channels + c) * inner;
                FloatVector vs = FloatVector.zero(S);
                FloatVector vq = FloatVector.zero(S);
                for (int i = 0; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, src, base + i);
                    vs = vs.add(v);
                    if (squares != null) {
                        FloatVector d = v.sub(m);
                        vq = d.fma(d, vq);
                    }
                }
                s += vs.reduceLanes(VectorOperators.ADD);
                q += vq.reduceLanes(VectorOperators.ADD);
                for (int i = bound; i < inner; i++) {
                    float v = src[base + i];
                    s += v;
                    if (squares != null) {
                        double d = v - m;
                        q += d * d;
                    }
                }
            }
            out[c] = s;
            if (squares != null) {
                squares[c] = q;
            }
        }
    }

    @Override
    public void channelAffine(int n, int channels, int inner, int c0, int c1, float[] x, int xOff,
                              float[] mean, float[] scale, float[] shift, float[] y, int yOff) {
        if (inner < L) {
            super.channelAffine(n, channels, inner, c0, c1, x, xOff, mean, scale, shift, y, yOff);
            return;
        }
        int bound = S.loopBound(inner);
        for (int b = 0; b < n; b++) {
            for (int c = c0; c < c1; c++) {
                int xb = xOff + (b * channels + c) * inner;
                int yb = yOff + (b * channels + c) * inner;
                float m = mean[c];
                float sc = scale[c];
                float sh = shift[c];
                for (int i = 0; i < bound; i += L) {
                    FloatVector.fromArray(S, x, xb + i).sub(m).mul(sc).add(sh).intoArray(y, yb + i);
                }
                for (int i = bound; i < inner; i++) {
                    y[yb + i] = (x[xb + i] - m) * sc + sh;
                }
            }
        }
    }
}
