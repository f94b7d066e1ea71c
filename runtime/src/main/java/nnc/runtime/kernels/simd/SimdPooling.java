package nnc.runtime.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import nnc.runtime.kernels.Epilogue;
import nnc.runtime.kernels.PoolGeom;
import nnc.runtime.kernels.Pooling;
import nnc.runtime.kernels.scalar.ScalarPooling;

/**
 * Pooling with 2 x 2 windows at stride 2 (the common case), vectorised: two input rows give a
 * vertical maximum (or sum), a two-vector shuffle separates even and odd columns. Every other
 * geometry goes to the scalar twin, explicitly, and {@link #poolAlgorithm} names the path so
 * a profile shows where the scalar loops run.
 */
public final class SimdPooling implements Pooling {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** Lane indices as floats, for masks made by comparison (in registers, never from a table). */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    private final ScalarPooling reference;

    public SimdPooling(ScalarPooling reference) {
        this.reference = reference;
    }

    @Override
    public String poolAlgorithm(PoolGeom g) {
        return twoByTwo(g) ? "2x2 simd" : "scalar";
    }


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
            reference.maxPool(g, b0, b1, x, xOff, y, yOff, epi);
            return;
        }
        pool2(g, b0, b1, x, xOff, y, yOff, true, epi);
    }

    @Override
    public void avgPool(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, Epilogue epi) {
        if (!twoByTwo(g)) {
            reference.avgPool(g, b0, b1, x, xOff, y, yOff, epi);
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

    /**
     * y[i, j] = max (or mean) of x[2i .. 2i+1, 2j .. 2j+1], L outputs at a time. In a row of at
     * least L outputs the last vector steps back to end at the row's end and recomputes a few
     * outputs: every store is a whole vector (masked stores took 40% of this loop on the Zen 3
     * core here). A shorter row loads whole vectors (its tail reads into the next row, inside
     * the array) and stores them whole too: the extra lanes land on outputs that a later store
     * of this call writes (rows go in order), so only a store that would pass the end of the
     * call's range is masked, by a comparison in registers. The backward passes do the same.
     *
     * <p>The vector code is written out in the loop, not in a helper: C2 does not inline a
     * callee it has already compiled into a large method, and whether that happened first
     * varies from run to run, so a helper made these kernels fast in one JVM and four times
     * slower in the next.
     */
    private static void pool2(PoolGeom g, int b0, int b1, float[] x, int xOff, float[] y, int yOff, boolean max,
                              Epilogue epi) {
        int w = g.w();
        int ow = g.ow();
        boolean whole = ow >= L;
        int limit = yOff + b1 * g.c() * g.oh() * ow;
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            int xc = xOff + plane * g.h() * w;
            int yc = yOff + plane * g.oh() * ow;
            if (!inside(x, xc + g.h() * w) || !inside(y, yc + g.oh() * ow)) {
                if (max) {
                    ScalarPooling.maxPoolPlane(g, x, xc, y, yc);
                } else {
                    ScalarPooling.avgPoolPlane(g, x, xc, y, yc);
                }
                ScalarPooling.applyPlane(epi, y, yc, g.oh() * ow);
                continue;
            }
            for (int i = 0; i < g.oh(); i++) {
                int r0 = xc + 2 * i * w;
                int r1 = r0 + w;
                for (int j0 = 0; j0 < ow; j0 += L) {
                    int j = whole ? Math.min(j0, ow - L) : j0;
                    FloatVector a0 = FloatVector.fromArray(S, x, r0 + 2 * j);
                    FloatVector a1 = FloatVector.fromArray(S, x, r0 + 2 * j + L);
                    FloatVector c0 = FloatVector.fromArray(S, x, r1 + 2 * j);
                    FloatVector c1 = FloatVector.fromArray(S, x, r1 + 2 * j + L);
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
                    if (whole || yc + i * ow + j + L <= limit) {
                        out.intoArray(y, yc + i * ow + j);
                    } else {
                        out.intoArray(y, yc + i * ow + j, IOTA.compare(VectorOperators.LT, (float) (ow - j)));
                    }
                }
            }
            ScalarPooling.applyPlane(epi, y, yc, g.oh() * ow);
        }
    }

    @Override
    public void maxPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                                float[] dx, int dxOff, Epilogue epi) {
        if (!twoByTwo(g)) {
            reference.maxPoolBackward(g, b0, b1, dy, dyOff, x, xOff, dx, dxOff, epi);
            return;
        }
        int w = g.w();
        int ow = g.ow();
        boolean whole = ow >= L;
        int limit = dxOff + b1 * g.c() * g.h() * w;
        FloatVector zero = FloatVector.zero(S);
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            int xc = xOff + plane * g.h() * w;
            int dc = dxOff + plane * g.h() * w;
            int yc = dyOff + plane * g.oh() * ow;
            if (!inside(x, xc + g.h() * w) || !inside(dx, dc + g.h() * w) || !inside(dy, yc + g.oh() * ow)) {
                ScalarPooling.maxPoolBackwardPlane(g, dy, yc, x, xc, dx, dc);
                ScalarPooling.applyPlane(epi, dx, dc, g.h() * w);
                continue;
            }
            for (int i = 0; i < g.oh(); i++) {
                int r0 = 2 * i * w;
                int r1 = r0 + w;
                for (int j0 = 0; j0 < ow; j0 += L) {
                    int j = whole ? Math.min(j0, ow - L) : j0;
                    // Whole-vector loads; the stores are masked to the row's 2 * OW columns
                    // (all true in a row of at least L outputs: its last vector steps back).
                    VectorMask<Float> lo = IOTA.compare(VectorOperators.LT, (float) (2 * (ow - j)));
                    VectorMask<Float> hi = IOTA.compare(VectorOperators.LT, (float) (2 * (ow - j) - L));
                    FloatVector a0 = FloatVector.fromArray(S, x, xc + r0 + 2 * j);
                    FloatVector a1 = FloatVector.fromArray(S, x, xc + r0 + 2 * j + L);
                    FloatVector c0 = FloatVector.fromArray(S, x, xc + r1 + 2 * j);
                    FloatVector c1 = FloatVector.fromArray(S, x, xc + r1 + 2 * j + L);
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
                    FloatVector d = FloatVector.fromArray(S, dy, yc + i * ow + j);
                    FloatVector dtl = zero.blend(d, mtl);
                    FloatVector dtr = zero.blend(d, mtr);
                    FloatVector dbl = zero.blend(d, mbl);
                    FloatVector dbr = zero.blend(d, mbr);
                    if (whole || dc + r1 + 2 * j + 2 * L <= limit) {
                        dtl.rearrange(ZIP_LO, dtr).intoArray(dx, dc + r0 + 2 * j);
                        dtl.rearrange(ZIP_HI, dtr).intoArray(dx, dc + r0 + 2 * j + L);
                        dbl.rearrange(ZIP_LO, dbr).intoArray(dx, dc + r1 + 2 * j);
                        dbl.rearrange(ZIP_HI, dbr).intoArray(dx, dc + r1 + 2 * j + L);
                    } else {
                        dtl.rearrange(ZIP_LO, dtr).intoArray(dx, dc + r0 + 2 * j, lo);
                        dtl.rearrange(ZIP_HI, dtr).intoArray(dx, dc + r0 + 2 * j + L, hi);
                        dbl.rearrange(ZIP_LO, dbr).intoArray(dx, dc + r1 + 2 * j, lo);
                        dbl.rearrange(ZIP_HI, dbr).intoArray(dx, dc + r1 + 2 * j + L, hi);
                    }
                }
            }
            zeroLeftovers(g, dx, dc);
            ScalarPooling.applyPlane(epi, dx, dc, g.h() * w);
        }
    }

    @Override
    public void avgPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] dx, int dxOff, Epilogue epi) {
        if (!twoByTwo(g)) {
            reference.avgPoolBackward(g, b0, b1, dy, dyOff, dx, dxOff, epi);
            return;
        }
        int w = g.w();
        int ow = g.ow();
        boolean whole = ow >= L;
        int limit = dxOff + b1 * g.c() * g.h() * w;
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            int dc = dxOff + plane * g.h() * w;
            int yc = dyOff + plane * g.oh() * ow;
            if (!inside(dx, dc + g.h() * w) || !inside(dy, yc + g.oh() * ow)) {
                ScalarPooling.avgPoolBackwardPlane(g, dy, yc, dx, dc);
                ScalarPooling.applyPlane(epi, dx, dc, g.h() * w);
                continue;
            }
            for (int i = 0; i < g.oh(); i++) {
                int r0 = dc + 2 * i * w;
                int r1 = r0 + w;
                for (int j0 = 0; j0 < ow; j0 += L) {
                    int j = whole ? Math.min(j0, ow - L) : j0;
                    VectorMask<Float> ml = IOTA.compare(VectorOperators.LT, (float) (2 * (ow - j)));
                    VectorMask<Float> mh = IOTA.compare(VectorOperators.LT, (float) (2 * (ow - j) - L));
                    // Whole-vector load (the tail's extra lanes are never stored).
                    FloatVector d = FloatVector.fromArray(S, dy, yc + i * ow + j).mul(0.25f);
                    FloatVector left = d.rearrange(ZIP_LO, d);
                    FloatVector right = d.rearrange(ZIP_HI, d);
                    if (whole || r1 + 2 * j + 2 * L <= limit) {
                        left.intoArray(dx, r0 + 2 * j);
                        right.intoArray(dx, r0 + 2 * j + L);
                        left.intoArray(dx, r1 + 2 * j);
                        right.intoArray(dx, r1 + 2 * j + L);
                    } else {
                        left.intoArray(dx, r0 + 2 * j, ml);
                        right.intoArray(dx, r0 + 2 * j + L, mh);
                        left.intoArray(dx, r1 + 2 * j, ml);
                        right.intoArray(dx, r1 + 2 * j + L, mh);
                    }
                }
            }
            zeroLeftovers(g, dx, dc);
            ScalarPooling.applyPlane(epi, dx, dc, g.h() * w);
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
}
