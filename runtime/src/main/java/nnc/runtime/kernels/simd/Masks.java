package nnc.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Tail masks, made once. {@code species.indexInRange(i, n)} builds its mask from a fresh
 * {@code boolean[]} whenever C2 does not intrinsify that call in a given compilation, which
 * happens from one run to the next; a kernel then allocates on every step. Loading a ready
 * mask from this table never allocates.
 */
final class Masks {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    @SuppressWarnings("unchecked")
    private static final VectorMask<Float>[] FIRST = new VectorMask[L + 1];

    static {
        for (int n = 0; n <= L; n++) {
            boolean[] bits = new boolean[L];
            for (int i = 0; i < n; i++) {
                bits[i] = true;
            }
            FIRST[n] = VectorMask.fromArray(S, bits, 0);
        }
    }

    private Masks() {
    }

    /** The lanes {@code [0, min(L, max(0, count)))}: the mask of {@code indexInRange(i, i + count)}. */
    static VectorMask<Float> first(int count) {
        return FIRST[Math.max(0, Math.min(L, count))];
    }

    /** The mask of lanes {@code i .. i + L} that lie below {@code limit}. */
    static VectorMask<Float> upTo(int i, int limit) {
        return first(limit - i);
    }
}
