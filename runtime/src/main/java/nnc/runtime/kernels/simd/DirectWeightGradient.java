package nnc.runtime.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConv;

/**
 * The weight and bias gradient of a direct convolution ({@link DirectConv#backwardWeights}) as
 * dot products along the output positions, vectorised over positions: each output channel's
 * dy plane is read where it lies, against a small table {@code cols} of the input each tap
 * sees at each position (one row per tap, C*KH*KW rows: fewer floats than dy when there are
 * few input channels, the layers this kernel is for), plus a row of ones whose products are the
 * bias gradient.
 *
 * <pre>
 *   cols[r, p]   = xp[c, i + u, j + v]  p = i * OW + j, tap r = (c, u, v) < K;  cols[K, p] = 1; rows past K are 0
 *   acc[o, r, l] = fma over samples b, position vectors q of dy_b[o, q * L + l] * cols_b[r, q * L + l]
 *   dw[o, r]    += sum over lanes l of acc[o, r, l]  (r < K);   db[o] += sum over l of acc[o, K, l]
 *   rows of cols are NV * L long, NV = ceil(OH*OW / L)
 * </pre>
 *
 * A register tile is {@link #GO} output channels x {@link #GT} rows of cols: per vector of
 * positions two dy loads, five cols loads and ten fused multiply-adds into ten independent
 * accumulators (enough to cover the FMA latency on two pipes). The last vector of a plane is
 * moved back inside it ({@code dy} is read at {@code P - L}), and the lanes it shares with the
 * vector before are zero in {@code cols}, so no position counts twice and nothing is read
 * outside the plane. A missing second channel of a pair (O odd) reads a zero plane. The sums
 * stay in lanes across the call's samples and are added to {@code dw} lane by lane in order at
 * the end: the result depends on the samples of the call and the lane count only.
 */
final class DirectWeightGradient {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output channels per register tile. */
    static final int GO = 2;
    /** Rows of cols (taps, the ones row, zero padding) per register tile. */
    static final int GT = 5;

    private DirectWeightGradient() {
    }

    /** True when the planes hold at least one vector, which {@link #add} needs. */
    static boolean fits(ConvGeom g) {
        return g.p() >= L;
    }

    /** {@code dw += } the weight gradient and {@code db += } the bias gradient of samples [b0, b1). */
    static void add(Workspace ws, ConvGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff, float[] dw,
                    float[] db) {
        int p = g.p();
        int rowLen = (p + L - 1) / L * L;
        int rows = (g.k() + 1 + GT - 1) / GT * GT;
        int pairs = (g.o() + GO - 1) / GO;
        int blocks = rows / GT;
        int tile = GO * GT * L;
        int wp = DirectConv.paddedWidth(g);
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, g.c() * DirectConv.paddedHeight(g) * wp);
        float[] cols = ws.floats(Workspace.Buffer.DIRECT_COLS, (rows + 1) * rowLen);
        float[] acc = ws.floats(Workspace.Buffer.DIRECT_SUMS, pairs * blocks * tile);
        Arrays.fill(acc, 0, pairs * blocks * tile, 0f);
        constantRows(g, rows, rowLen, cols);
        int zeroPlane = rows * rowLen;
        for (int b = b0; b < b1; b++) {
            DirectConv.pad(g, wp, x, xOff + b * g.inSize(), xp);
            tapRows(g, wp, xp, rowLen, cols);
            int dyb = dyOff + b * g.outSize();
            for (int pair = 0; pair < pairs; pair++) {
                int o0 = pair * GO;
                boolean second = o0 + 1 < g.o();
                for (int blk = 0; blk < blocks; blk++) {
                    tile(dy, dyb + o0 * p, second ? dy : cols, second ? dyb + (o0 + 1) * p : zeroPlane, p, cols,
                            blk * GT * rowLen, rowLen, acc, (pair * blocks + blk) * tile);
                }
            }
        }
        addLanes(g, blocks, acc, dw, db);
    }

    /** Row K of cols (ones), the zero rows after it and the zero plane after the rows. */
    private static void constantRows(ConvGeom g, int rows, int rowLen, float[] cols) {
        int k = g.k();
        Arrays.fill(cols, k * rowLen, k * rowLen + g.p(), 1f);
        Arrays.fill(cols, k * rowLen + g.p(), (rows + 1) * rowLen, 0f);
        moveTail(g.p(), cols, k * rowLen);
    }

    /** Rows [0, K) of cols from the padded sample: row (c, u, v) at position (i, j) is xp[c, i + u, j + v]. */
    private static void tapRows(ConvGeom g, int wp, float[] xp, int rowLen, float[] cols) {
        int hp = DirectConv.paddedHeight(g);
        for (int c = 0, r = 0; c < g.c(); c++) {
            for (int u = 0; u < g.kh(); u++) {
                for (int v = 0; v < g.kw(); v++, r++) {
                    for (int i = 0; i < g.oh(); i++) {
                        System.arraycopy(xp, (c * hp + i + u) * wp + v, cols, r * rowLen + i * g.ow(), g.ow());
                    }
                    moveTail(g.p(), cols, r * rowLen);
                }
            }
        }
    }

    /**
     * Lays out the last vector of a row of {@code p} positions as the kernel reads it: positions
     * {@code p - L .. p - 1}, those the vector before already holds set to zero.
     */
    private static void moveTail(int p, float[] cols, int row) {
        int last = (p - 1) / L * L;
        int rem = p - last;
        if (rem < L) {
            System.arraycopy(cols, row + last, cols, row + last + L - rem, rem);
            Arrays.fill(cols, row + last, row + last + L - rem, 0f);
        }
    }

    /**
     * The register tile: accumulators {@code acc[a0 ..]} (channel-major, GT rows each) plus
     * the products of dy planes {@code y0[d0 ..]}, {@code y1[d1 ..]} with cols rows
     * {@code c0, c0 + rowLen, ..}. The vectors stay in this method (a vector passed to a helper
     * that C2 does not inline is boxed on the heap).
     */
    private static void tile(float[] y0, int d0, float[] y1, int d1, int p, float[] cols, int c0, int rowLen,
                             float[] acc, int a0) {
        FloatVector s00 = FloatVector.fromArray(S, acc, a0);
        FloatVector s01 = FloatVector.fromArray(S, acc, a0 + L);
        FloatVector s02 = FloatVector.fromArray(S, acc, a0 + 2 * L);
        FloatVector s03 = FloatVector.fromArray(S, acc, a0 + 3 * L);
        FloatVector s04 = FloatVector.fromArray(S, acc, a0 + 4 * L);
        FloatVector s10 = FloatVector.fromArray(S, acc, a0 + 5 * L);
        FloatVector s11 = FloatVector.fromArray(S, acc, a0 + 6 * L);
        FloatVector s12 = FloatVector.fromArray(S, acc, a0 + 7 * L);
        FloatVector s13 = FloatVector.fromArray(S, acc, a0 + 8 * L);
        FloatVector s14 = FloatVector.fromArray(S, acc, a0 + 9 * L);
        int last = p - L;
        for (int q = 0; q < rowLen; q += L) {
            int at = Math.min(q, last);
            FloatVector e0 = FloatVector.fromArray(S, y0, d0 + at);
            FloatVector e1 = FloatVector.fromArray(S, y1, d1 + at);
            int c = c0 + q;
            FloatVector v = FloatVector.fromArray(S, cols, c);
            s00 = v.fma(e0, s00);
            s10 = v.fma(e1, s10);
            v = FloatVector.fromArray(S, cols, c + rowLen);
            s01 = v.fma(e0, s01);
            s11 = v.fma(e1, s11);
            v = FloatVector.fromArray(S, cols, c + 2 * rowLen);
            s02 = v.fma(e0, s02);
            s12 = v.fma(e1, s12);
            v = FloatVector.fromArray(S, cols, c + 3 * rowLen);
            s03 = v.fma(e0, s03);
            s13 = v.fma(e1, s13);
            v = FloatVector.fromArray(S, cols, c + 4 * rowLen);
            s04 = v.fma(e0, s04);
            s14 = v.fma(e1, s14);
        }
        s00.intoArray(acc, a0);
        s01.intoArray(acc, a0 + L);
        s02.intoArray(acc, a0 + 2 * L);
        s03.intoArray(acc, a0 + 3 * L);
        s04.intoArray(acc, a0 + 4 * L);
        s10.intoArray(acc, a0 + 5 * L);
        s11.intoArray(acc, a0 + 6 * L);
        s12.intoArray(acc, a0 + 7 * L);
        s13.intoArray(acc, a0 + 8 * L);
        s14.intoArray(acc, a0 + 9 * L);
    }

    /** {@code dw[o, r] += } the lanes of accumulator (o, r) added in order; row K into {@code db}. */
    private static void addLanes(ConvGeom g, int blocks, float[] acc, float[] dw, float[] db) {
        int k = g.k();
        for (int o = 0; o < g.o(); o++) {
            for (int r = 0; r <= k; r++) {
                int at = (((o / GO) * blocks + r / GT) * GO * GT + (o % GO) * GT + r % GT) * L;
                float s = 0;
                for (int l = 0; l < L; l++) {
                    s += acc[at + l];
                }
                if (r < k) {
                    dw[o * k + r] += s;
                } else if (db != null) {
                    db[o] += s;
                }
            }
        }
    }
}
