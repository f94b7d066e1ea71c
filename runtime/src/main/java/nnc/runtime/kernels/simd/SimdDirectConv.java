package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.DirectConv;
import nnc.runtime.kernels.Epilogue;

/**
 * Direct convolution at stride 1 ({@link DirectConv}), vectorised along the output row: a lane
 * per output column. Per sample the input is copied once into a zero-padded buffer (so no load
 * needs a mask or a bounds check), then each register tile of {@link #OB} output channels x two
 * vectors of one output row sums its C * KH * KW taps: per tap two input vectors are loaded and
 * each weight is broadcast from memory once for both.
 *
 * <pre>
 *   acc[o + k][t .. t + L) = fma over c, u, v of xp[c, i + u, t + v ..] * w[o + k, c, u, v]
 *   vector starts t: 0, L, 2L, ..., the last moved back to OW - L (it overlaps the one before
 *   and computes the same values again); OW < L: one vector, stored under a mask
 * </pre>
 *
 * The folded epilogue steps (bias, ReLU) run on the accumulators before the store; the rest on
 * each finished block of output planes, still in cache. Output channels past a multiple of OB
 * take a one-channel tile. Its twin is {@code scalar.ScalarDirectConv}: same sums, same bits.
 */
public final class SimdDirectConv implements DirectConv {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Output channels per register tile: 4 x 2 accumulators, 2 inputs and a weight fit 16 registers. */
    static final int OB = 4;

    @Override
    public void forward(Workspace ws, ConvGeom g, int b0, int b1, float[] x, int xOff, float[] w, int wOff,
                        float[] y, int yOff, Epilogue epi) {
        int wp = DirectConv.paddedWidth(g, L);
        int hp = DirectConv.paddedHeight(g);
        float[] xp = ws.floats(Workspace.Buffer.DIRECT_IN, g.c() * hp * wp);
        int folded = DirectConv.folded(g, yOff, epi);
        boolean relu = DirectConv.foldedRelu(epi, folded);
        for (int b = b0; b < b1; b++) {
            DirectConv.pad(g, wp, x, xOff + b * g.inSize(), xp);
            int yb = yOff + b * g.outSize();
            int o = 0;
            for (; o + OB <= g.o(); o += OB) {
                for (int i = 0; i < g.oh(); i++) {
                    row4(g, wp, hp, xp, w, wOff, o, i, y, yb, epi, folded, relu);
                }
                rest(g, epi, folded, y, yb, o, OB);
            }
            for (; o < g.o(); o++) {
                for (int i = 0; i < g.oh(); i++) {
                    row1(g, wp, hp, xp, w, wOff, o, i, y, yb, epi, folded, relu);
                }
                rest(g, epi, folded, y, yb, o, 1);
            }
        }
    }

    /** The epilogue steps after the folded ones, on output planes [o, o + count) of a sample. */
    private static void rest(ConvGeom g, Epilogue epi, int folded, float[] y, int yb, int o, int count) {
        if (folded < epi.size()) {
            epi.apply(folded, y, yb + o * g.p(), count * g.p());
        }
    }

    /** Vector start {@code k} of an output row (the last one moved back inside the row). */
    private static int start(ConvGeom g, int k) {
        return Math.max(0, Math.min(k * L, g.ow() - L));
    }

    /** Vectors per output row. */
    private static int vectors(ConvGeom g) {
        return (g.ow() + L - 1) / L;
    }

    /** Output row {@code i} of channels [o, o + 4), two vectors at a time. */
    private static void row4(ConvGeom g, int wp, int hp, float[] xp, float[] w, int wOff, int o, int i, float[] y,
                             int yb, Epilogue epi, int folded, boolean relu) {
        int taps = g.k();
        int nv = vectors(g);
        VectorMask<Float> m = g.ow() < L ? Masks.first(g.ow()) : null;
        float b0 = DirectConv.foldedBias(epi, folded, o);
        float b1 = DirectConv.foldedBias(epi, folded, o + 1);
        float b2 = DirectConv.foldedBias(epi, folded, o + 2);
        float b3 = DirectConv.foldedBias(epi, folded, o + 3);
        for (int k = 0; k < nv; k += 2) {
            int t1 = start(g, Math.min(k, nv - 2));
            int t2 = start(g, Math.min(k + 1, nv - 1));
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            for (int c = 0; c < g.c(); c++) {
                for (int u = 0; u < g.kh(); u++) {
                    int row = (c * hp + i + u) * wp;
                    int tap = wOff + o * taps + (c * g.kh() + u) * g.kw();
                    for (int v = 0; v < g.kw(); v++) {
                        FloatVector x1 = FloatVector.fromArray(S, xp, row + t1 + v);
                        FloatVector x2 = FloatVector.fromArray(S, xp, row + t2 + v);
                        int q = tap + v;
                        FloatVector w0 = FloatVector.broadcast(S, w[q]);
                        a0 = x1.fma(w0, a0);
                        c0 = x2.fma(w0, c0);
                        FloatVector w1 = FloatVector.broadcast(S, w[q + taps]);
                        a1 = x1.fma(w1, a1);
                        c1 = x2.fma(w1, c1);
                        FloatVector w2 = FloatVector.broadcast(S, w[q + 2 * taps]);
                        a2 = x1.fma(w2, a2);
                        c2 = x2.fma(w2, c2);
                        FloatVector w3 = FloatVector.broadcast(S, w[q + 3 * taps]);
                        a3 = x1.fma(w3, a3);
                        c3 = x2.fma(w3, c3);
                    }
                }
            }
            int at = yb + o * g.p() + i * g.ow();
            store(a0, b0, folded, relu, y, at + t1, m);
            store(c0, b0, folded, relu, y, at + t2, m);
            at += g.p();
            store(a1, b1, folded, relu, y, at + t1, m);
            store(c1, b1, folded, relu, y, at + t2, m);
            at += g.p();
            store(a2, b2, folded, relu, y, at + t1, m);
            store(c2, b2, folded, relu, y, at + t2, m);
            at += g.p();
            store(a3, b3, folded, relu, y, at + t1, m);
            store(c3, b3, folded, relu, y, at + t2, m);
        }
    }

    /** Output row {@code i} of channel {@code o} alone (channels past a multiple of {@link #OB}). */
    private static void row1(ConvGeom g, int wp, int hp, float[] xp, float[] w, int wOff, int o, int i, float[] y,
                             int yb, Epilogue epi, int folded, boolean relu) {
        int nv = vectors(g);
        VectorMask<Float> m = g.ow() < L ? Masks.first(g.ow()) : null;
        float bias = DirectConv.foldedBias(epi, folded, o);
        for (int k = 0; k < nv; k++) {
            int t = start(g, k);
            FloatVector a = FloatVector.zero(S);
            for (int c = 0; c < g.c(); c++) {
                for (int u = 0; u < g.kh(); u++) {
                    int row = (c * hp + i + u) * wp + t;
                    int tap = wOff + o * g.k() + (c * g.kh() + u) * g.kw();
                    for (int v = 0; v < g.kw(); v++) {
                        a = FloatVector.fromArray(S, xp, row + v).fma(FloatVector.broadcast(S, w[tap + v]), a);
                    }
                }
            }
            store(a, bias, folded, relu, y, yb + o * g.p() + i * g.ow() + t, m);
        }
    }

    /** The folded steps on {@code acc}, then the store (under {@code m} when the row is shorter than a vector). */
    private static void store(FloatVector acc, float bias, int folded, boolean relu, float[] y, int at,
                              VectorMask<Float> m) {
        if (folded > 0) {
            acc = acc.add(bias);
            if (relu) {
                acc = acc.max(0f);
            }
        }
        if (m == null) {
            acc.intoArray(y, at);
        } else {
            acc.intoArray(y, at, m);
        }
    }
}
