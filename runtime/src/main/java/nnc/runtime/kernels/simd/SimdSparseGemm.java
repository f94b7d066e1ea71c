package nnc.runtime.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.exec.Workspace;
import nnc.runtime.kernels.SparseGemm;
import nnc.runtime.kernels.SparseRows;
import nnc.runtime.kernels.TransposedWeights;

/**
 * {@link SparseGemm} on the Vector API, for a block of up to eight vectors of output features.
 * Each entry of the sparse input costs one broadcast and a multiply-add per vector of features
 * (the forward's sums held in registers, the gradient's in a slice of t), and what those
 * multiply-adds read stays in L1:
 *
 * <pre>
 *   forward:   for each slice of KB input columns:
 *                t = W[o0..o1, slice]^T (features fastest, KB x 8 vectors: 16 KB)
 *                per row r: acc (+)= v_p * t[col_p] over r's entries in the slice
 *              y[r] = acc + c * s
 *   gradient:  d = dy[:, o0..o1] copied densely (its rows are out x 4 bytes apart in dy: for
 *              256 features 1 KB, which maps them onto a few L1 sets); g = c * column sums of d
 *              for each slice: t = 0; per row r: t[col_p] += v_p * d[r] over r's entries in the
 *              slice; t[i] += g; dW[o0..o1, slice] (+)= t^T
 * </pre>
 *
 * A whole block's eight vectors are taken together, a partial block's one at a time; the lanes
 * past {@code o1} are zeros and are never stored. Per lane this is the scalar twin's order.
 */
public final class SimdSparseGemm implements SparseGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final int VECTORS = 8;
    /** Input columns per slice: a slice of t is 16 KB, half of L1 (a multiple of 8 for the transposes). */
    private static final int KB = Math.max(8, 4096 / (VECTORS * L) / 8 * 8);

    @Override
    public int block() {
        return VECTORS * L;
    }

    @Override
    public void forward(Workspace ws, SparseRows x, int o0, int o1, float[] w, int wOff, int ldw, float[] y, int yOff,
                        int ldy) {
        int ob = o1 - o0;
        int ts = (ob + L - 1) / L * L;
        int k = x.cols();
        int rows = x.rows();
        int acc = KB * ts;
        int sums = acc + rows * ts;
        float[] t = ws.floats(Workspace.Buffer.SPARSE_T, sums + ts);
        int[] cursor = ws.ints(rows);
        int[] start = x.rowStarts();
        System.arraycopy(start, 0, cursor, 0, rows);
        for (int v = 0; v < ts; v++) {
            t[sums + v] = 0f;
        }
        for (int kb = 0; kb < k; kb += KB) {
            int kw = Math.min(KB, k - kb);
            slice(w, wOff + o0 * ldw + kb, ldw, ob, ts, kw, t);
            boolean first = kb == 0;
            boolean last = kb + kw == k;
            for (int v = 0; v < ts; v += L) {
                FloatVector s = FloatVector.fromArray(S, t, sums + v);
                for (int i = 0; i < kw; i++) {
                    s = s.add(FloatVector.fromArray(S, t, i * ts + v));
                }
                // After the last slice the row sums are complete: keep c * s, which every row adds.
                (last ? s.mul(x.background()) : s).intoArray(t, sums + v);
            }
            for (int r = 0; r < rows; r++) {
                int end = rowEnd(x, start[r + 1], cursor[r], kb + kw);
                int into = last ? yOff + r * ldy + o0 : acc + r * ts;
                if (ob == VECTORS * L) {
                    forwardBlock(x, cursor[r], end, kb, t, ts, first, acc + r * ts, last, sums, y, into);
                } else {
                    forwardVectors(x, cursor[r], end, kb, t, ts, ob, first, acc + r * ts, last, sums, y, into);
                }
                cursor[r] = end;
            }
        }
    }

    /** The end of row r's entries in columns before {@code limit}, from {@code p}. */
    private static int rowEnd(SparseRows x, int rowEnd, int p, int limit) {
        int[] col = x.colIndexes();
        while (p < rowEnd && col[p] < limit) {
            p++;
        }
        return p;
    }

    /** {@code t[i][j] = w[j * ldw + i]} for a slice of kw columns and ob features, lanes past ob zero. */
    private static void slice(float[] w, int wOff, int ldw, int ob, int ts, int kw, float[] t) {
        Transpose8.matrix(w, wOff, ldw, t, 0, ts, ob, kw);
        for (int i = 0; i < kw; i++) {
            for (int j = ob; j < ts; j++) {
                t[i * ts + j] = 0f;
            }
        }
    }

    /** Eight vectors of one row's sums over entries {@code [p0, p1)}, stored to {@code t} or, last, plus c * s to y. */
    private static void forwardBlock(SparseRows x, int p0, int p1, int kb, float[] t, int ts, boolean first,
                                     int accAt, boolean last, int sums, float[] y, int into) {
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        FloatVector a0, a1, a2, a3, a4, a5, a6, a7;
        if (first) {
            a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = FloatVector.zero(S);
        } else {
            a0 = FloatVector.fromArray(S, t, accAt);
            a1 = FloatVector.fromArray(S, t, accAt + L);
            a2 = FloatVector.fromArray(S, t, accAt + 2 * L);
            a3 = FloatVector.fromArray(S, t, accAt + 3 * L);
            a4 = FloatVector.fromArray(S, t, accAt + 4 * L);
            a5 = FloatVector.fromArray(S, t, accAt + 5 * L);
            a6 = FloatVector.fromArray(S, t, accAt + 6 * L);
            a7 = FloatVector.fromArray(S, t, accAt + 7 * L);
        }
        for (int p = p0; p < p1; p++) {
            FloatVector e = FloatVector.broadcast(S, val[p]);
            int at = (col[p] - kb) * ts;
            a0 = e.fma(FloatVector.fromArray(S, t, at), a0);
            a1 = e.fma(FloatVector.fromArray(S, t, at + L), a1);
            a2 = e.fma(FloatVector.fromArray(S, t, at + 2 * L), a2);
            a3 = e.fma(FloatVector.fromArray(S, t, at + 3 * L), a3);
            a4 = e.fma(FloatVector.fromArray(S, t, at + 4 * L), a4);
            a5 = e.fma(FloatVector.fromArray(S, t, at + 5 * L), a5);
            a6 = e.fma(FloatVector.fromArray(S, t, at + 6 * L), a6);
            a7 = e.fma(FloatVector.fromArray(S, t, at + 7 * L), a7);
        }
        float[] dst = last ? y : t;
        if (last) {
            a0 = a0.add(FloatVector.fromArray(S, t, sums));
            a1 = a1.add(FloatVector.fromArray(S, t, sums + L));
            a2 = a2.add(FloatVector.fromArray(S, t, sums + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, t, sums + 3 * L));
            a4 = a4.add(FloatVector.fromArray(S, t, sums + 4 * L));
            a5 = a5.add(FloatVector.fromArray(S, t, sums + 5 * L));
            a6 = a6.add(FloatVector.fromArray(S, t, sums + 6 * L));
            a7 = a7.add(FloatVector.fromArray(S, t, sums + 7 * L));
        }
        a0.intoArray(dst, into);
        a1.intoArray(dst, into + L);
        a2.intoArray(dst, into + 2 * L);
        a3.intoArray(dst, into + 3 * L);
        a4.intoArray(dst, into + 4 * L);
        a5.intoArray(dst, into + 5 * L);
        a6.intoArray(dst, into + 6 * L);
        a7.intoArray(dst, into + 7 * L);
    }

    /** {@link #forwardBlock} for a partial block, one vector at a time, the last one masked into y. */
    private static void forwardVectors(SparseRows x, int p0, int p1, int kb, float[] t, int ts, int ob, boolean first,
                                       int accAt, boolean last, int sums, float[] y, int into) {
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        for (int v = 0; v < ts; v += L) {
            FloatVector a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, t, accAt + v);
            for (int p = p0; p < p1; p++) {
                a = FloatVector.broadcast(S, val[p]).fma(FloatVector.fromArray(S, t, (col[p] - kb) * ts + v), a);
            }
            if (!last) {
                a.intoArray(t, into + v);
            } else {
                a = a.add(FloatVector.fromArray(S, t, sums + v));
                a.intoArray(y, into + v, S.indexInRange(v, ob));
            }
        }
    }

    @Override
    public void forwardRow(SparseRows x, TransposedWeights w, float[] y, int yOff) {
        int p0 = x.rowStarts()[0];
        int p1 = x.rowStarts()[1];
        float c = x.background();
        int out = w.out();
        int o = 0;
        for (; o + VECTORS * L <= out; o += VECTORS * L) {
            rowBlock(x, p0, p1, w.values(), w.ld(), o, w.sums(), c, y, yOff + o);
        }
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        float[] t = w.values();
        int ld = w.ld();
        for (; o < out; o += L) {
            FloatVector a = FloatVector.zero(S);
            for (int p = p0; p < p1; p++) {
                a = FloatVector.broadcast(S, val[p]).fma(FloatVector.fromArray(S, t, col[p] * ld + o), a);
            }
            a = a.add(FloatVector.fromArray(S, w.sums(), o).mul(c));
            a.intoArray(y, yOff + o, S.indexInRange(o, out));
        }
    }

    /**
     * Eight vectors of one row's outputs {@code [o, o + 8L)} from W^T ({@code t}, rows
     * {@code ld} apart): per entry one broadcast and eight multiply-adds on one contiguous run
     * of weights, then {@code + c * s}.
     */
    private static void rowBlock(SparseRows x, int p0, int p1, float[] t, int ld, int o, float[] sums, float c,
                                 float[] y, int into) {
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        FloatVector a0, a1, a2, a3, a4, a5, a6, a7;
        a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = FloatVector.zero(S);
        for (int p = p0; p < p1; p++) {
            FloatVector e = FloatVector.broadcast(S, val[p]);
            int at = col[p] * ld + o;
            a0 = e.fma(FloatVector.fromArray(S, t, at), a0);
            a1 = e.fma(FloatVector.fromArray(S, t, at + L), a1);
            a2 = e.fma(FloatVector.fromArray(S, t, at + 2 * L), a2);
            a3 = e.fma(FloatVector.fromArray(S, t, at + 3 * L), a3);
            a4 = e.fma(FloatVector.fromArray(S, t, at + 4 * L), a4);
            a5 = e.fma(FloatVector.fromArray(S, t, at + 5 * L), a5);
            a6 = e.fma(FloatVector.fromArray(S, t, at + 6 * L), a6);
            a7 = e.fma(FloatVector.fromArray(S, t, at + 7 * L), a7);
        }
        a0.add(FloatVector.fromArray(S, sums, o).mul(c)).intoArray(y, into);
        a1.add(FloatVector.fromArray(S, sums, o + L).mul(c)).intoArray(y, into + L);
        a2.add(FloatVector.fromArray(S, sums, o + 2 * L).mul(c)).intoArray(y, into + 2 * L);
        a3.add(FloatVector.fromArray(S, sums, o + 3 * L).mul(c)).intoArray(y, into + 3 * L);
        a4.add(FloatVector.fromArray(S, sums, o + 4 * L).mul(c)).intoArray(y, into + 4 * L);
        a5.add(FloatVector.fromArray(S, sums, o + 5 * L).mul(c)).intoArray(y, into + 5 * L);
        a6.add(FloatVector.fromArray(S, sums, o + 6 * L).mul(c)).intoArray(y, into + 6 * L);
        a7.add(FloatVector.fromArray(S, sums, o + 7 * L).mul(c)).intoArray(y, into + 7 * L);
    }

    @Override
    public void differing(float[] x, int off, int n, int cBits, long[] bits, int at) {
        int words = (n + 63) / 64;
        for (int w = 0; w < words; w++) {
            int j0 = w * 64;
            int end = Math.min(n, j0 + 64);
            long m = 0;
            int j = j0;
            for (; j + L <= end; j += L) {
                long lanes = FloatVector.fromArray(S, x, off + j).reinterpretAsInts()
                        .compare(VectorOperators.NE, cBits).toLong();
                m |= lanes << (j - j0);
            }
            for (; j < end; j++) {
                if (Float.floatToRawIntBits(x[off + j]) != cBits) {
                    m |= 1L << (j - j0);
                }
            }
            bits[at + w] = m;
        }
    }

    @Override
    public void weightGradient(Workspace ws, SparseRows x, int o0, int o1, float[] dy, int dyOff, int ldy, float[] dw,
                               int dwOff, int ldw, boolean accumulate) {
        int ob = o1 - o0;
        int ts = (ob + L - 1) / L * L;
        int k = x.cols();
        int rows = x.rows();
        int d = KB * ts;
        int g = d + rows * ts;
        float[] t = ws.floats(Workspace.Buffer.SPARSE_T, g + ts);
        int[] cursor = ws.ints(rows);
        int[] start = x.rowStarts();
        System.arraycopy(start, 0, cursor, 0, rows);
        for (int v = 0; v < ts; v += L) {
            VectorMask<Float> m = S.indexInRange(v, ob);
            FloatVector sum = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                FloatVector e = FloatVector.fromArray(S, dy, dyOff + r * ldy + o0 + v, m);
                e.intoArray(t, d + r * ts + v);
                sum = sum.add(e);
            }
            sum.mul(x.background()).intoArray(t, g + v);
        }
        for (int kb = 0; kb < k; kb += KB) {
            int kw = Math.min(KB, k - kb);
            Arrays.fill(t, 0, kw * ts, 0f);
            for (int r = 0; r < rows; r++) {
                int end = rowEnd(x, start[r + 1], cursor[r], kb + kw);
                if (ob == VECTORS * L) {
                    gradientBlock(x, cursor[r], end, kb, t, ts, d + r * ts);
                } else {
                    gradientVectors(x, cursor[r], end, kb, t, ts, d + r * ts);
                }
                cursor[r] = end;
            }
            for (int i = 0; i < kw; i++) {
                for (int v = 0; v < ts; v += L) {
                    FloatVector.fromArray(S, t, i * ts + v).add(FloatVector.fromArray(S, t, g + v))
                            .intoArray(t, i * ts + v);
                }
            }
            if (accumulate) {
                for (int j = 0; j < ob; j++) {
                    int row = dwOff + (o0 + j) * ldw + kb;
                    for (int i = 0; i < kw; i++) {
                        dw[row + i] += t[i * ts + j];
                    }
                }
            } else {
                Transpose8.matrix(t, 0, ts, dw, dwOff + o0 * ldw + kb, ldw, kw, ob);
            }
        }
    }

    /** Adds one row's entries {@code [p0, p1)} times its dy, eight vectors at {@code t[dAt]}, into the slice. */
    private static void gradientBlock(SparseRows x, int p0, int p1, int kb, float[] t, int ts, int dAt) {
        if (p0 == p1) {
            return;
        }
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        FloatVector d0 = FloatVector.fromArray(S, t, dAt);
        FloatVector d1 = FloatVector.fromArray(S, t, dAt + L);
        FloatVector d2 = FloatVector.fromArray(S, t, dAt + 2 * L);
        FloatVector d3 = FloatVector.fromArray(S, t, dAt + 3 * L);
        FloatVector d4 = FloatVector.fromArray(S, t, dAt + 4 * L);
        FloatVector d5 = FloatVector.fromArray(S, t, dAt + 5 * L);
        FloatVector d6 = FloatVector.fromArray(S, t, dAt + 6 * L);
        FloatVector d7 = FloatVector.fromArray(S, t, dAt + 7 * L);
        for (int p = p0; p < p1; p++) {
            FloatVector e = FloatVector.broadcast(S, val[p]);
            int at = (col[p] - kb) * ts;
            e.fma(d0, FloatVector.fromArray(S, t, at)).intoArray(t, at);
            e.fma(d1, FloatVector.fromArray(S, t, at + L)).intoArray(t, at + L);
            e.fma(d2, FloatVector.fromArray(S, t, at + 2 * L)).intoArray(t, at + 2 * L);
            e.fma(d3, FloatVector.fromArray(S, t, at + 3 * L)).intoArray(t, at + 3 * L);
            e.fma(d4, FloatVector.fromArray(S, t, at + 4 * L)).intoArray(t, at + 4 * L);
            e.fma(d5, FloatVector.fromArray(S, t, at + 5 * L)).intoArray(t, at + 5 * L);
            e.fma(d6, FloatVector.fromArray(S, t, at + 6 * L)).intoArray(t, at + 6 * L);
            e.fma(d7, FloatVector.fromArray(S, t, at + 7 * L)).intoArray(t, at + 7 * L);
        }
    }

    /** {@link #gradientBlock} for a partial block, one vector at a time. */
    private static void gradientVectors(SparseRows x, int p0, int p1, int kb, float[] t, int ts, int dAt) {
        int[] col = x.colIndexes();
        float[] val = x.rowValues();
        for (int v = 0; v < ts; v += L) {
            FloatVector dv = FloatVector.fromArray(S, t, dAt + v);
            for (int p = p0; p < p1; p++) {
                int at = (col[p] - kb) * ts + v;
                FloatVector.broadcast(S, val[p]).fma(dv, FloatVector.fromArray(S, t, at)).intoArray(t, at);
            }
        }
    }
}
