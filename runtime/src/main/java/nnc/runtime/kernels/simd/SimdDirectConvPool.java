package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ChannelLayout;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConvPool;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;

/**
 * Convolution, bias, ReLU and 2x2 max pooling in registers ({@link DirectConvPool}). The four
 * sums of a pooling window sit at the four parities (row, column) of the convolution's output,
 * so the zero-padded sample is first split by parity into quarter planes
 * {@code xq[a, e, c, r, q] = xp[c, 2r + a, 2q + e]}, {@code RQ x WQ} each. In them the window's
 * sum of parity {@code (a, e)} for pooled output {@code (i, j)}, at the linear position
 * {@code p = i * WQ + j}, reads tap {@code (c, u, v)} at {@code p + off[a, e, c, u, v]}: one
 * contiguous vector load per {@code L} pooled outputs, whatever the padding, as in
 * {@link SimdDirectConv}. A register tile is {@link #OB} output channels x the four parities x
 * one vector of positions; its sixteen sums reduce to the pooled values in registers.
 *
 * <pre>
 *   s[o, (a, e), p .. p + L) = fma over taps t of xq[p + off[a, e, t] ..] * w[o, t]          p = 0, L, ...
 *   z[o, p ..]               = act( max over (a, e) of s[o, (a, e), p ..] + bias[o] )
 *   y[o, i, j]               = z[o, i * WQ + j]      (the columns j >= PW are dropped), then epi per plane
 *                              (blocked: the sample's planes to a scratch, then {@link ChannelLayout#toBlocked})
 *   RQ = PH + KH / 2,  WQ = PW + KW / 2: the rows and columns of a quarter plane that windows read
 * </pre>
 *
 * The positions run to {@code (PH - 1) * WQ + PW}; the last vector is moved back inside (it
 * recomputes the same values). Each sum is the one {@link SimdDirectConv} and the scalar twin
 * compute, term for term, so the results have the same bits as theirs. One input channel with a
 * 3x3 kernel on 8 lanes takes {@link SingleChannelConv} (the channels on the lanes) instead.
 */
public final class SimdDirectConvPool implements DirectConvPool {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Output channels per register tile: 4 channels x 4 parities = 16 accumulators. */
    static final int OB = 4;

    @Override
    public void forward(Workspace ws, ConvGeom g, PoolGeom pool, boolean relu, int b0, int b1, float[] x, int xOff,
                        float[] w, int wOff, float[] bias, int bOff, float[] y, int yOff, int yBlock, Epilogue epi) {
        if (yBlock != 1 && !epi.isEmpty()) {
            throw new IllegalArgumentException("internal error: a channel-blocked output takes no epilogue");
        }
        if (SingleChannelConv.applies(g, pool) && (yBlock == 1 || yBlock == SingleChannelConv.L)) {
            SingleChannelConv.forward(ws, g, pool, relu, b0, b1, x, xOff, w, wOff, bias, bOff, y, yOff, yBlock, epi);
            return;
        }
        int ph = pool.oh();
        int pw = pool.ow();
        int rq = ph + g.kh() / 2;
        int wq = pw + g.kw() / 2;
        int quarter = g.c() * rq * wq;
        int taps = g.k();
        int span = (ph - 1) * wq + pw;
        int zs = span + L;
        int blocks = (g.o() + OB - 1) / OB;
        float[] xq = ws.floats(Workspace.Buffer.DIRECT_IN, 4 * quarter + L);
        float[] wk = ws.floats(Workspace.Buffer.DIRECT_W, blocks * (taps + 1) * OB);
        float[] z = ws.floats(Workspace.Buffer.DIRECT_OUT, OB * zs);
        int[] off = ws.ints(4 * taps);
        for (int parity = 0; parity < 4; parity++) {
            int a = parity >> 1;
            int e = parity & 1;
            for (int c = 0, t = 0; c < g.c(); c++) {
                for (int u = 0; u < g.kh(); u++) {
                    for (int v = 0; v < g.kw(); v++) {
                        int plane = (((a + u) & 1) * 2 + ((e + v) & 1)) * g.c() + c;
                        off[parity * taps + t++] = plane * rq * wq + ((a + u) >> 1) * wq + ((e + v) >> 1);
                    }
                }
            }
        }
        for (int o = 0; o < blocks * OB; o++) {
            for (int t = 0; t < taps; t++) {
                wk[((o / OB) * taps + t) * OB + o % OB] = o < g.o() ? w[wOff + o * taps + t] : 0f;
            }
            wk[blocks * taps * OB + o] = o < g.o() ? bias[bOff + o] : 0f;
        }
        // A maximum with -infinity changes no value, not even -0 or NaN.
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        java.util.Arrays.fill(xq, 4 * quarter, 4 * quarter + L, 0f);
        int plane = ph * pw;
        int last = Math.max(0, span - L);
        // a blocked output: each sample's planes go to a scratch first, then to y by ChannelLayout
        float[] planes = yBlock == 1 ? y : ws.floats(Workspace.Buffer.DIRECT_BLOCKED, pool.outSize());
        for (int b = b0; b < b1; b++) {
            split(g, rq, wq, x, xOff + b * g.inSize(), xq);
            int yb = yBlock == 1 ? yOff + b * pool.outSize() : 0;
            for (int blk = 0; blk < blocks; blk++) {
                int o0 = blk * OB;
                int count = Math.min(OB, g.o() - o0);
                for (int p = 0; p < span; p += L) {
                    tile(taps, off, xq, Math.min(p, last), wk, blk * taps * OB, blocks * taps * OB + o0, lo, z, zs);
                }
                for (int k = 0; k < count; k++) {
                    copyOut(z, k * zs, wq, ph, pw, planes, yb + (o0 + k) * plane);
                }
                if (!epi.isEmpty()) {
                    epi.apply(y, yb + o0 * plane, count * plane);
                }
            }
            if (yBlock != 1) {
                ChannelLayout.toBlocked(planes, 0, y, yOff + b * pool.outSize(), g.o(), plane, yBlock);
            }
        }
    }

    /**
     * The quarter planes of one sample: {@code xq[(a * 2 + e) * C + c][r][q] = x[c, 2r + a - PT,
     * 2q + e - PL]}, zero outside the input.
     */
    private static void split(ConvGeom g, int rq, int wq, float[] x, int xb, float[] xq) {
        int size = rq * wq;
        java.util.Arrays.fill(xq, 0, 4 * g.c() * size, 0f);
        int rows = Math.min(g.h(), 2 * rq - g.pt());
        int cols = Math.min(g.w(), 2 * wq - g.pl());
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < rows; r++) {
                int pr = r + g.pt();
                int rowBase = (((pr & 1) * 2) * g.c() + c) * size + (pr >> 1) * wq;
                int src = xb + (c * g.h() + r) * g.w();
                for (int q = 0; q < cols; q++) {
                    int pq = q + g.pl();
                    xq[rowBase + (pq & 1) * g.c() * size + (pq >> 1)] = x[src + q];
                }
            }
        }
    }

    /**
     * Output plane {@code y[at ..] [PH, PW]} from the pooled values {@code z[zo + i * WQ + j]},
     * a vector at a time: the last vector of a row moved back inside it, or for rows shorter
     * than a vector stored under a mask (a call to arraycopy per row cost more than the copy).
     */
    private static void copyOut(float[] z, int zo, int wq, int ph, int pw, float[] y, int at) {
        VectorMask<Float> m = pw < L ? Masks.first(pw) : null;
        for (int i = 0; i < ph; i++) {
            int src = zo + i * wq;
            int dst = at + i * pw;
            if (m != null) {
                FloatVector.fromArray(S, z, src).intoArray(y, dst, m);
                continue;
            }
            for (int j = 0; j < pw; j += L) {
                int jj = Math.min(j, pw - L);
                FloatVector.fromArray(S, z, src + jj).intoArray(y, dst + jj);
            }
        }
    }

    /**
     * {@code z[k * zs + p ..]} for the four channels k of a block and the L positions from
     * {@code p}: the sixteen sums {@code c<k><parity>}, then their pooled value (the block's
     * biases at {@code wk[bo ..]}, zero past O; {@code lo} 0 for the ReLU, else -infinity). Per tap,
     * the four weights are broadcast once and each parity's input vector loaded once. The
     * vectors stay in this method (a vector passed to a helper that C2 does not inline is boxed).
     */
    private static void tile(int taps, int[] off, float[] xq, int p, float[] wk, int wo, int bo, float lo, float[] z,
                             int zs) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int t = 0; t < taps; t++) {
            int q = wo + t * OB;
            FloatVector a0 = FloatVector.broadcast(S, wk[q]);
            FloatVector a1 = FloatVector.broadcast(S, wk[q + 1]);
            FloatVector a2 = FloatVector.broadcast(S, wk[q + 2]);
            FloatVector a3 = FloatVector.broadcast(S, wk[q + 3]);
            FloatVector v = FloatVector.fromArray(S, xq, p + off[t]);
            c00 = v.fma(a0, c00);
            c10 = v.fma(a1, c10);
            c20 = v.fma(a2, c20);
            c30 = v.fma(a3, c30);
            v = FloatVector.fromArray(S, xq, p + off[taps + t]);
            c01 = v.fma(a0, c01);
            c11 = v.fma(a1, c11);
            c21 = v.fma(a2, c21);
            c31 = v.fma(a3, c31);
            v = FloatVector.fromArray(S, xq, p + off[2 * taps + t]);
            c02 = v.fma(a0, c02);
            c12 = v.fma(a1, c12);
            c22 = v.fma(a2, c22);
            c32 = v.fma(a3, c32);
            v = FloatVector.fromArray(S, xq, p + off[3 * taps + t]);
            c03 = v.fma(a0, c03);
            c13 = v.fma(a1, c13);
            c23 = v.fma(a2, c23);
            c33 = v.fma(a3, c33);
        }
        c00.max(c01).max(c02.max(c03)).add(wk[bo]).max(lo).intoArray(z, p);
        c10.max(c11).max(c12.max(c13)).add(wk[bo + 1]).max(lo).intoArray(z, zs + p);
        c20.max(c21).max(c22.max(c23)).add(wk[bo + 2]).max(lo).intoArray(z, 2 * zs + p);
        c30.max(c31).max(c32.max(c33)).add(wk[bo + 3]).max(lo).intoArray(z, 3 * zs + p);
    }
}
