package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector math that gives the same bits in every JIT tier: lane sums and the exponential.
 *
 * <p>Lane sums in a fixed order. {@code reduceLanes(ADD)} may
 * add the lanes in one order in the interpreter's Java fallback and in another in C2's
 * intrinsic, so the same training gave different weights depending on when C2 compiled which
 * kernel. Here lane i and lane i ^ h are added for h = L/2 down to 1 (a pairwise tree).
 *
 * The tree is written with shuffles for 16 lanes (AVX-512) and 8 lanes (AVX2); it adds the
 * same pairs in the same order as the lane-by-lane loop {@link #sumLanes}, so the bits do not
 * depend on the vector width's code path (they do depend on the width: 8 partial sums are not
 * 16).
 *
 * <p>The methods are kept under 35 bytecodes: C2 inlines a larger callee only at a call site
 * it counts as hot, and a vector passed to a method that is not inlined is boxed on the heap.
 * For the same reason {@link DotKernel} writes its tile's sums out in place.
 *
 * <p>The exponential, for the same reason: {@code lanewise(EXP)} and {@code lanewise(TANH)}
 * differ in their last bits between the Java fallback (per-lane {@code Math}) and C2's
 * intrinsic, so a model with sigmoid, tanh or GELU trained differently from run to run.
 * {@link #exp} uses only multiply, add, fused multiply-add and integer bit operations, which
 * round alike everywhere: {@code z = n ln2 + r} with {@code n} rounded to nearest by adding
 * 1.5 * 2^23, ln2 in two parts (Cody-Waite) so {@code r} is exact to float precision,
 * {@code exp(r) - 1 = r + r^2 q(r)} with q a degree-5 polynomial on [-ln2/2, ln2/2] (the
 * Cephes expf coefficients, within 2 ulp), and {@code 2^n} built in the exponent bits. The
 * vectors never leave the loop, so nothing depends on C2 inlining a helper.
 */
public final class VMath {
    private VMath() {
    }

    /** The preferred species (512 or 256 bits) and its lane count. */
    public static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    public static final int L = S.length();
    static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(S, i -> (i ^ 1) % L);
    static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(S, i -> (i ^ 2) % L);
    static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(S, i -> (i ^ 4) % L);
    static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(S, i -> (i ^ 8) % L);
    /** Lanes whose bit 0, 1, 2 or 3 is set (bits past the lane count are ignored). */
    static final VectorMask<Float> B1 = VectorMask.fromLong(S, 0xAAAAL);
    static final VectorMask<Float> B2 = VectorMask.fromLong(S, 0xCCCCL);
    static final VectorMask<Float> B4 = VectorMask.fromLong(S, 0xF0F0L);
    static final VectorMask<Float> B8 = VectorMask.fromLong(S, 0xFF00L);

    /** Where {@code 2^n} stays a normal float: n in [-126, 127]. */
    static final float EXP_LO = -87.0f;
    static final float EXP_HI = 88.0f;
    private static final float LOG2E = 1.44269504f;
    /** 1.5 * 2^23: adding it rounds to an integer, kept in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so n * LN2_HI is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final float Q0 = 5.0000001201e-1f;
    private static final float Q1 = 1.6666665459e-1f;
    private static final float Q2 = 4.1665795894e-2f;
    private static final float Q3 = 8.3334519073e-3f;
    private static final float Q4 = 1.3981999507e-3f;
    private static final float Q5 = 1.9875691500e-4f;
    private static final FloatVector V_Q0 = FloatVector.broadcast(S, Q0);
    private static final FloatVector V_Q1 = FloatVector.broadcast(S, Q1);
    private static final FloatVector V_Q2 = FloatVector.broadcast(S, Q2);
    private static final FloatVector V_Q3 = FloatVector.broadcast(S, Q3);
    private static final FloatVector V_Q4 = FloatVector.broadcast(S, Q4);
    private static final FloatVector V_Q5 = FloatVector.broadcast(S, Q5);

    /**
     * {@code dst[i] = exp(a * src[i] + b) - k} for {@code i < len}, with {@code k = 0} (exp)
     * or {@code k = 1} (expm1, exact to float precision near 0: {@code m 2^n + (2^n - 1)} with
     * {@code m = exp(r) - 1}); {@code a * src + b} is clamped to [{@link #EXP_LO},
     * {@link #EXP_HI}]. {@code dst} may be {@code src} (in place) or null (only the sum).
     *
     * @return the sum of the results, lanes added in a fixed order
     */
    public static float exp(float[] src, int sOff, float[] dst, int dOff, int len, float a, float b, float k) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector z = FloatVector.fromArray(S, src, sOff + i).fma(a, b).max(EXP_LO).min(EXP_HI);
            FloatVector t = z.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(NEG_LN2_HI, z).sub(n.mul(LN2_LO));
            FloatVector q = r.fma(V_Q5, V_Q4).fma(r, V_Q3).fma(r, V_Q2).fma(r, V_Q1).fma(r, V_Q0);
            FloatVector m = q.fma(r.mul(r), r);
            FloatVector scale = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector e = m.fma(scale, scale.sub(k));
            if (dst != null) {
                e.intoArray(dst, dOff + i);
            }
            acc = acc.add(e);
        }
        // The pairwise tree of sum(), written out: this method is too big for C2 to inline
        // sum() into it, and a call would box acc (192 bytes per call).
        float sum;
        if (L == 16) {
            acc = acc.add(acc.rearrange(X8));
            acc = acc.add(acc.rearrange(X4));
            acc = acc.add(acc.rearrange(X2));
            sum = acc.add(acc.rearrange(X1)).lane(0);
        } else if (L == 8) {
            acc = acc.add(acc.rearrange(X4));
            acc = acc.add(acc.rearrange(X2));
            sum = acc.add(acc.rearrange(X1)).lane(0);
        } else {
            sum = sumLanes(acc);
        }
        for (; i < len; i++) {
            float e = exp(src[sOff + i], a, b, k);
            if (dst != null) {
                dst[dOff + i] = e;
            }
            sum += e;
        }
        return sum;
    }

    /**
     * One element of {@link #exp}'s loop, in scalar floats: the same operations in the same
     * order (each vector fma a {@link Math#fma}), so the bits do not depend on where an element
     * falls, in a whole vector or in the tail (a kernel applied to a block of a plane gives what
     * it gives applied to the whole plane).
     */
    private static float exp(float x, float a, float b, float k) {
        float z = Math.min(Math.max(Math.fma(x, a, b), EXP_LO), EXP_HI);
        float t = Math.fma(z, LOG2E, ROUND);
        float n = t - ROUND;
        float r = Math.fma(n, -LN2_HI, z) - n * LN2_LO;
        float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, Q5, Q4), r, Q3), r, Q2), r, Q1), r, Q0);
        float m = Math.fma(q, r * r, r);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUND_BITS - 127)) << 23);
        return Math.fma(m, scale, scale - k);
    }

    /** Floats per chunk of {@link #scratch()}: activations that need a second array work in chunks. */
    public static final int CHUNK = 512;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

    /**
     * This thread's scratch buffer of {@link #CHUNK} floats, for {@code exp} of a chunk (GELU,
     * swish); a kernel uses it between two of its own statements, never across a call that may
     * use it too.
     */
    public static float[] scratch() {
        return SCRATCH.get();
    }

    /** {@code v[off + j] /= 1 + e[j]} for {@code j < n}: {@code x sigmoid(z)} given {@code e = exp(-z)}. */
    public static void divideByOnePlus(float[] v, int off, float[] e, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector x = FloatVector.fromArray(S, v, off + j);
            x.div(FloatVector.fromArray(S, e, j).add(1f)).intoArray(v, off + j);
        }
        for (; j < n; j++) {
            v[off + j] = v[off + j] / (1f + e[j]);
        }
    }

    /** The sum of the lanes. */
    static float sum(FloatVector v) {
        return L == 16 ? sum16(v) : L == 8 ? sum8(v) : sumLanes(v);
    }

    // The levels are written out, not a helper per level: when C2 compiled such a helper on its
    // own, its vectors were boxed and its add ran the Vector API's Java fallback, allocating (the
    // batch-norm CNN with 16 lanes: 7.8 MB per training step, and its warm-up never settled).
    private static float sum16(FloatVector v) {
        FloatVector a = v.add(v.rearrange(X8));
        a = a.add(a.rearrange(X4));
        a = a.add(a.rearrange(X2));
        return a.add(a.rearrange(X1)).lane(0);
    }

    private static float sum8(FloatVector v) {
        FloatVector a = v.add(v.rearrange(X4));
        a = a.add(a.rearrange(X2));
        return a.add(a.rearrange(X1)).lane(0);
    }

    /** Other vector sizes (4 or 2 lanes): the same tree, lane by lane; it allocates. */
    private static float sumLanes(FloatVector v) {
        float[] t = v.toArray();
        for (int h = L / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) {
                t[i] += t[i + h];
            }
        }
        return t[0];
    }
}
