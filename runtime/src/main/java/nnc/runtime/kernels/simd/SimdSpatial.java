package nnc.runtime.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.Epilogue;
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
 * channel. Pooling uses the reference loops (memory-bound, small).
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
            if (g.pointwise()) {
                gemm.gemmSerial(ws, false, true, g.o(), k, p, dy, yb, p, x, xb, p, dw, dwOff, k, true, Epilogue.NONE);
            } else {
                float[] col = ws.floats(Workspace.CONV_COL, k * p);
                im2col(g, x, xb, col);
                gemm.gemmSerial(ws, false, true, g.o(), k, p, dy, yb, p, col, 0, p, dw, dwOff, k, true, Epilogue.NONE);
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

    // ---- batch norm ----

    @Override
    public void channelSums(int n, int channels, int inner, int c0, int c1, float[] src, int off,
                            double[] out, float[] mean, double[] squares) {
        if (inner < L) {
            super.channelSums(n, channels, inner, c0, c1, src, off, out, mean, squares);
            return;
        }
        for (int c = c0; c < c1; c++) {
            double s = 0;
            double q = 0;
            float m = mean == null ? 0f : mean[c];
            for (int b = 0; b < n; b++) {
                int base = off + (b * channels + c) * inner;
                FloatVector vs = FloatVector.zero(S);
                FloatVector vq = FloatVector.zero(S);
                for (int i = 0; i < inner; i += L) {
                    VectorMask<Float> k = S.indexInRange(i, inner);
                    FloatVector v = FloatVector.fromArray(S, src, base + i, k);
                    vs = vs.add(v);
                    if (squares != null) {
                        FloatVector d = FloatVector.zero(S).blend(v.sub(m), k);
                        vq = d.fma(d, vq);
                    }
                }
                s += vs.reduceLanes(VectorOperators.ADD);
                q += vq.reduceLanes(VectorOperators.ADD);
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
        for (int b = 0; b < n; b++) {
            for (int c = c0; c < c1; c++) {
                int xb = xOff + (b * channels + c) * inner;
                int yb = yOff + (b * channels + c) * inner;
                float m = mean[c];
                float sc = scale[c];
                float sh = shift[c];
                for (int i = 0; i < inner; i += L) {
                    VectorMask<Float> k = S.indexInRange(i, inner);
                    FloatVector.fromArray(S, x, xb + i, k).sub(m).mul(sc).add(sh).intoArray(y, yb + i, k);
                }
            }
        }
    }
}
