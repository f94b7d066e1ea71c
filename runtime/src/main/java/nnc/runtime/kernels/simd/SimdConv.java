package nnc.runtime.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Convolution;
import nnc.runtime.kernels.Epilogue;

/**
 * Convolution as im2col + the packed GEMM, per sample:
 *
 * <pre>
 *   forward          y_b [O, P]  = w [O, K] . col_b [K, P]           (epilogue per block)
 *   backward data    dcol [K, P] = w^T [K, O] . dy_b [O, P];  dx_b = col2im(dcol)
 *   backward weights dw [O, K]  += dy_b [O, P] . col_b^T [P, K]
 *   K = C*KH*KW, P = OH*OW; a 1x1 stride-1 convolution skips im2col (col_b is x_b).
 * </pre>
 * Every geometry takes this path. Its scalar twin is {@code scalar.ScalarConv}.
 */
public final class SimdConv implements Convolution {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private final SimdGemm gemm;

    public SimdConv(SimdGemm gemm) {
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
                float[] col = ws.floats(Workspace.Buffer.CONV_COL, k * p + COL_SLACK);
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
                float[] dcol = ws.floats(Workspace.Buffer.CONV_COL, k * p + COL_SLACK);
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
                float[] col = ws.floats(Workspace.Buffer.CONV_COL, k * p + COL_SLACK);
                im2col(g, x, xb, col);
                gemm.gemmSerial(ws, false, true, k, g.o(), p, col, 0, p, dy, yb, p, dw, dwOff, g.o(), true, Epilogue.NONE);
            }
        }
    }

    /**
     * Always the packed GEMM: on im2col columns, or straight on the input for a 1x1 stride-1
     * kernel. A direct kernel (4 output channels x 2 rows x 16 columns in registers) was
     * measured on the tutorial's first layer, where K = 9 is the GEMM's worst case, and was
     * slower: 0.36-0.38 ms against 0.24 ms at batch 64 on 2 threads (docs/performance.md).
     * {@link SimdDirectConv}, which reads every tap as one contiguous load of the padded sample,
     * is faster, and the compiler picks it for such layers ({@code ConvCost}); this path serves
     * the generated calls that name im2col + GEMM.
     */
    @Override
    public String convAlgorithm(ConvGeom g) {
        return g.pointwise() ? "gemm, 1x1" : "im2col+gemm";
    }

    /** Floats past the column matrix that its vector loops may touch: a whole vector each way. */
    static final int COL_SLACK = 2 * L;

    /** Lane indices as floats, for masks made by comparison (in registers, never from a table). */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    /** col[(c*KH + u)*KW + v][i*OW + j] = x[c, i*SH - PT + u, j*SW - PL + v], zero outside. */
    static void im2col(ConvGeom g, float[] x, int xb, float[] col) {
        if (g.sh() == 1 && g.sw() == 1 && col.length >= g.k() * g.p() + COL_SLACK) {
            im2colUnitStride(g, x, xb, col);
            return;
        }
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
                            copyRun(x, src + jlo, col, dst + jlo, jhi - jlo);
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

    /**
     * im2col at stride 1: each vector of a run is one masked load (lanes that fall in the
     * padding load as zero) and one masked store, with masks made once per kernel offset.
     */
    private static void im2colUnitStride(ConvGeom g, float[] x, int xb, float[] col) {
        int p = g.p();
        int ow = g.ow();
        int w = g.w();
        if (g.pt() == 0 && g.pl() == 0 && g.oh() + g.kh() - 1 <= g.h() && ow + g.kw() - 1 <= w
                && xb + g.inSize() + L <= x.length) {
            // No padding: every run lies inside its input row, and every vector load inside x.
            for (int c = 0; c < g.c(); c++) {
                for (int u = 0; u < g.kh(); u++) {
                    for (int v = 0; v < g.kw(); v++) {
                        int row = ((c * g.kh() + u) * g.kw() + v) * p;
                        int src = xb + (c * g.h() + u) * w + v;
                        for (int t = 0; t < ow; t += L) {
                            VectorMask<Float> store = IOTA.compare(VectorOperators.LT, (float) (ow - t));
                            for (int i = 0; i < g.oh(); i++) {
                                FloatVector.fromArray(S, x, src + i * w + t).intoArray(col, row + i * ow + t, store);
                            }
                        }
                    }
                }
            }
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        for (int c = 0; c < g.c(); c++) {
            for (int u = 0; u < g.kh(); u++) {
                for (int v = 0; v < g.kw(); v++) {
                    int row = ((c * g.kh() + u) * g.kw() + v) * p;
                    int shift = v - g.pl();
                    for (int t = 0; t < ow; t += L) {
                        // Output column j = t + lane reads input column j + shift, inside [0, W).
                        VectorMask<Float> inside = IOTA.compare(VectorOperators.GE, (float) (-shift - t))
                                .and(IOTA.compare(VectorOperators.LT, (float) (Math.min(w - shift, ow) - t)));
                        VectorMask<Float> store = IOTA.compare(VectorOperators.LT, (float) (ow - t));
                        for (int i = 0; i < g.oh(); i++) {
                            int r = i - g.pt() + u;
                            int dst = row + i * ow + t;
                            if (r < 0 || r >= g.h()) {
                                zero.intoArray(col, dst, store);
                                continue;
                            }
                            int src = xb + (c * g.h() + r) * w + shift + t;
                            if (src >= 0 && src + L <= x.length) {
                                FloatVector.fromArray(S, x, src, inside).intoArray(col, dst, store);
                            } else {
                                for (int j = t; j < Math.min(t + L, ow); j++) {
                                    int q = j + shift;
                                    col[dst - t + j] = q >= 0 && q < w ? x[src - t + j] : 0f;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** dx_b = the sum of dcol's entries over every window position that reads each input. */
    static void col2im(ConvGeom g, float[] dcol, float[] dx, int xb) {
        if (g.sh() == 1 && g.sw() == 1 && g.p() >= g.kw() + g.pl() && g.w() + g.pl() <= g.ow() + L
                && dcol.length >= g.k() * g.p() + COL_SLACK && xb + g.inSize() + L <= dx.length) {
            col2imUnitStride(g, dcol, dx, xb);
            return;
        }
        int p = g.p();
        int ow = g.ow();
        Arrays.fill(dx, xb, xb + g.inSize(), 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int u = 0; u < g.kh(); u++) {
                for (int v = 0; v < g.kw(); v++) {
                    int row = ((c * g.kh() + u) * g.kw() + v) * p;
                    int jlo = Math.max(0, ceilDiv(g.pl() - v, g.sw()));
                    int jhi = Math.min(ow, ceilDiv(g.w() + g.pl() - v, g.sw()));
                    VectorMask<Float> tail = Masks.first((jhi - jlo) % L);
                    for (int i = 0; i < g.oh(); i++) {
                        int r = i * g.sh() - g.pt() + u;
                        if (r < 0 || r >= g.h() || jlo >= jhi) {
                            continue;
                        }
                        int dst = xb + (c * g.h() + r) * g.w() - g.pl() + v;
                        int src = row + i * ow;
                        if (g.sw() == 1) {
                            addRun(dx, dst + jlo, dcol, src + jlo, jhi - jlo, tail);
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

    /**
     * col2im at stride 1, gathering: each vector of an input row sums its KH * KW
     * contributions in a register (masked loads, zero outside the output) and is stored once,
     * in the order the reference adds them. Writing dx once, instead of adding into it per
     * kernel offset, avoids stores that overlap the next loads.
     */
    private static void col2imUnitStride(ConvGeom g, float[] dcol, float[] dx, int xb) {
        int p = g.p();
        int ow = g.ow();
        int w = g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.h(); r++) {
                int dst = xb + (c * g.h() + r) * w;
                for (int t = 0; t < w; t += L) {
                    FloatVector acc = FloatVector.zero(S);
                    for (int u = 0; u < g.kh(); u++) {
                        int i = r + g.pt() - u;
                        if (i < 0 || i >= g.oh()) {
                            continue;
                        }
                        for (int v = 0; v < g.kw(); v++) {
                            // Input column q = t + lane takes output column j = q + PL - v, inside [0, OW).
                            int j0 = t + g.pl() - v;
                            VectorMask<Float> m = IOTA.compare(VectorOperators.GE, (float) -j0)
                                    .and(IOTA.compare(VectorOperators.LT, (float) (ow - j0)));
                            int k = (c * g.kh() + u) * g.kw() + v;
                            acc = acc.add(FloatVector.fromArray(S, dcol, k * p + i * ow + j0, m));
                        }
                    }
                    acc.intoArray(dx, dst + t, IOTA.compare(VectorOperators.LT, (float) (w - t)));
                }
            }
        }
    }

    /**
     * {@code col[dst, dst + len) = x[src, src + len)} in whole vectors when both arrays hold
     * them. The last vector may write up to L - 1 floats past the run: im2col writes col in
     * order, so whatever lies there is written again afterwards.
     */
    private static void copyRun(float[] x, int src, float[] col, int dst, int len) {
        int span = (len + L - 1) / L * L;
        if (src + span > x.length || dst + span > col.length) {
            System.arraycopy(x, src, col, dst, len);
            return;
        }
        for (int t = 0; t < span; t += L) {
            FloatVector.fromArray(S, x, src + t).intoArray(col, dst + t);
        }
    }

    /**
     * {@code y[yo, yo + len) += x[xo, xo + len)}; {@code tail} is the mask of {@code len % L}
     * lanes (made once by the caller), used when both arrays hold the whole last vector.
     */
    private static void addRun(float[] y, int yo, float[] x, int xo, int len, VectorMask<Float> tail) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        if (i < len && yo + i + L <= y.length && xo + i + L <= x.length) {
            FloatVector.fromArray(S, y, yo + i, tail).add(FloatVector.fromArray(S, x, xo + i, tail))
                    .intoArray(y, yo + i, tail);
            return;
        }
        for (; i < len; i++) {
            y[yo + i] += x[xo + i];
        }
    }

    static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }
}
