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
 * Pooling with 2 x 2 windows at stride 2 (the common case), vectorised: forward, two input rows
 * give a vertical maximum (or sum) and a two-vector shuffle separates even and odd columns;
 * backward works in input order, where a window's two columns are neighbouring lanes. Every other
 * geometry goes to the scalar twin, explicitly, and {@link #poolAlgorithm} names the path so
 * a profile shows where the scalar loops run.
 */
public final class SimdPooling implements Pooling {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** Lane indices as floats, for masks made by comparison (in registers, never from a table). */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);
    /** Lanes 0, 2, 4 ... of two concatenated vectors, and lanes 1, 3, 5 ... */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);
    /** Swaps the lanes of each pair (1, 0, 3, 2 ...): the other column of each lane's window. */
    private static final VectorShuffle<Float> PAIR = VectorShuffle.fromOp(S, i -> i ^ 1);
    /** Each of the low L / 2 lanes twice (0, 0, 1, 1 ...): dy spread over its window's columns. */
    private static final VectorShuffle<Float> TWICE = VectorShuffle.fromOp(S, i -> i / 2);

    private final ScalarPooling reference;

    public SimdPooling(ScalarPooling reference) {
        this.reference = reference;
    }

    @Override
    public String poolAlgorithm(PoolGeom g) {
        return twoByTwo(g) ? "2x2 simd" : "scalar";
    }

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
     * <p>The maximum is taken by comparisons (a later element replaces an earlier one only when
     * greater), not {@code max}, whose Java semantics cost extra blends on AVX2: a window's
     * result is NaN only when its top-left element is, as in the scalar twin.
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
                        FloatVector v0 = a0.blend(c0, c0.compare(VectorOperators.GT, a0));
                        FloatVector v1 = a1.blend(c1, c1.compare(VectorOperators.GT, a1));
                        FloatVector e = v0.rearrange(EVEN, v1);
                        FloatVector o = v0.rearrange(ODD, v1);
                        out = e.blend(o, o.compare(VectorOperators.GT, e));
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


    /**
     * dx of 2 x 2 max pooling, computed in input order: a vector of L columns of a window row
     * pair (starting at an even column, so lanes pair up as windows) is compared with its
     * pair-swapped copy and with the other row, and each lane keeps dy (spread over both
     * columns by one permute) if it is its window's first maximum in scan order, else 0. No
     * two-vector shuffles: the interleaved form took four to split the columns and four to
     * merge them back. When {@code epi} starts with the ReLU gradient of {@code x}
     * ({@link Epilogue#leadingActivationGradSlope}), it is applied here too, with the same operations as the epilogue's.
     *
     * <p>Rows go as in {@link #pool2}: in a row pair of at least L columns the last vector
     * steps back; a shorter one stores whole vectors whose tails later stores overwrite.
     * A window holding a NaN passes its dy to no element (the scalar twin's scan gives it to the
     * first element no later one exceeds; training that far is lost either way).
     */
    @Override
    public void maxPoolBackward(PoolGeom g, int b0, int b1, float[] dy, int dyOff, float[] x, int xOff,
                                float[] dx, int dxOff, Epilogue epi) {
        if (!twoByTwo(g)) {
            reference.maxPoolBackward(g, b0, b1, dy, dyOff, x, xOff, dx, dxOff, epi);
            return;
        }
        int w = g.w();
        int ow = g.ow();
        int cols = 2 * ow;
        boolean whole = cols >= L;
        int limit = dxOff + b1 * g.c() * g.h() * w;
        float slope = epi.leadingActivationGradSlope(x, xOff, dxOff);
        boolean relu = !Float.isNaN(slope);
        int done = relu ? 1 : 0;
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> left = IOTA.rearrange(PAIR).compare(VectorOperators.GT, IOTA);   // even lanes
        VectorMask<Float> used = IOTA.compare(VectorOperators.LT, (float) cols);
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
                int top = 2 * i * w;
                for (int q0 = 0; q0 < cols; q0 += L) {
                    int q = whole ? Math.min(q0, cols - L) : q0;
                    FloatVector a = FloatVector.fromArray(S, x, xc + top + q);
                    FloatVector c = FloatVector.fromArray(S, x, xc + top + w + q);
                    FloatVector as = a.rearrange(PAIR);
                    FloatVector cs = c.rearrange(PAIR);
                    // A left-column lane wins its ties with the lane after it in scan order; a right-column one loses them.
                    VectorMask<Float> topWins = a.compare(VectorOperators.GE, c).and(a.compare(VectorOperators.GE, cs))
                            .and(a.compare(VectorOperators.GT, as).or(a.compare(VectorOperators.GE, as).and(left)));
                    VectorMask<Float> bottomWins = c.compare(VectorOperators.GT, a).and(c.compare(VectorOperators.GT, as))
                            .and(c.compare(VectorOperators.GT, cs).or(c.compare(VectorOperators.GE, cs).and(left)));
                    FloatVector d = FloatVector.fromArray(S, dy, yc + i * ow + q / 2).rearrange(TWICE);
                    FloatVector dTop = d;
                    FloatVector dBottom = d;
                    if (relu) {
                        FloatVector ds = d.mul(slope);
                        dTop = d.blend(ds, a.compare(VectorOperators.LE, 0f));
                        dBottom = d.blend(ds, c.compare(VectorOperators.LE, 0f));
                    }
                    if (whole || dc + top + w + q + L <= limit) {
                        zero.blend(dTop, topWins).intoArray(dx, dc + top + q);
                        zero.blend(dBottom, bottomWins).intoArray(dx, dc + top + w + q);
                    } else {
                        zero.blend(dTop, topWins).intoArray(dx, dc + top + q, used);
                        zero.blend(dBottom, bottomWins).intoArray(dx, dc + top + w + q, used);
                    }
                }
            }
            zeroLeftovers(g, dx, dc);
            if (done < epi.size()) {
                epi.apply(done, dx, dc, g.h() * w);
            }
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
        int cols = 2 * ow;
        boolean whole = cols >= L;
        int limit = dxOff + b1 * g.c() * g.h() * w;
        VectorMask<Float> used = IOTA.compare(VectorOperators.LT, (float) cols);
        for (int plane = b0 * g.c(); plane < b1 * g.c(); plane++) {
            int dc = dxOff + plane * g.h() * w;
            int yc = dyOff + plane * g.oh() * ow;
            if (!inside(dx, dc + g.h() * w) || !inside(dy, yc + g.oh() * ow)) {
                ScalarPooling.avgPoolBackwardPlane(g, dy, yc, dx, dc);
                ScalarPooling.applyPlane(epi, dx, dc, g.h() * w);
                continue;
            }
            for (int i = 0; i < g.oh(); i++) {
                int top = dc + 2 * i * w;
                for (int q0 = 0; q0 < cols; q0 += L) {
                    int q = whole ? Math.min(q0, cols - L) : q0;
                    FloatVector d = FloatVector.fromArray(S, dy, yc + i * ow + q / 2).rearrange(TWICE).mul(0.25f);
                    if (whole || top + w + q + L <= limit) {
                        d.intoArray(dx, top + q);
                        d.intoArray(dx, top + w + q);
                    } else {
                        d.intoArray(dx, top + q, used);
                        d.intoArray(dx, top + w + q, used);
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
