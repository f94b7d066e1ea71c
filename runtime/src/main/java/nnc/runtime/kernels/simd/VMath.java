package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane sums in a fixed order, the same bits in every JIT tier. {@code reduceLanes(ADD)} may
 * add the lanes in one order in the interpreter's Java fallback and in another in C2's
 * intrinsic, so the same training gave different weights depending on when C2 compiled which
 * kernel. Here lane i and lane i ^ h are added for h = L/2 down to 1 (a pairwise tree).
 *
 * <p>The methods are kept under 35 bytecodes: C2 inlines a larger callee only at a call site
 * it counts as hot, and a vector passed to a method that is not inlined is boxed on the heap.
 * For the same reason {@link DotKernel} writes its 16-way version out in place.
 */
final class VMath {
    private VMath() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(S, i -> (i ^ 1) % L);
    static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(S, i -> (i ^ 2) % L);
    static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(S, i -> (i ^ 4) % L);
    static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(S, i -> (i ^ 8) % L);
    /** Lanes whose bit 0, 1, 2 or 3 is set (512-bit vectors). */
    static final VectorMask<Float> B1 = VectorMask.fromLong(S, 0xAAAAL);
    static final VectorMask<Float> B2 = VectorMask.fromLong(S, 0xCCCCL);
    static final VectorMask<Float> B4 = VectorMask.fromLong(S, 0xF0F0L);
    static final VectorMask<Float> B8 = VectorMask.fromLong(S, 0xFF00L);

    /** The sum of the lanes. */
    static float sum(FloatVector v) {
        return L == 16 ? sum16(v) : sumLanes(v);
    }

    private static float sum16(FloatVector v) {
        return level(level(level(level(v, X8), X4), X2), X1).lane(0);
    }

    private static FloatVector level(FloatVector v, VectorShuffle<Float> x) {
        return v.add(v.rearrange(x));
    }

    /** Other vector sizes (no 512-bit vectors): the same tree, lane by lane; it allocates. */
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
