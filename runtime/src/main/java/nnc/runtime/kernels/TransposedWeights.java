package nnc.runtime.kernels;

/**
 * A linear layer's weight matrix W {@code [out, k]} laid out for products with one sparse
 * input row: {@code W^T [k, ld]}, input feature fastest-changing last, so that an entry of the
 * row reads one contiguous run of {@code out} weights; and the row sums
 * {@code s_o = W[o, 0] + W[o, 1] + ... + W[o, k - 1]} (from +0, in that order: the sums of
 * {@link SparseGemm}'s table), which the background's share {@code c * s_o} needs. Both are
 * zero-padded to {@code ld}, a multiple of 64 floats, so whole vectors can be read anywhere
 * in a row. Immutable; built once per version of the parameters ({@link TransposedCache}).
 */
public final class TransposedWeights {
    /** Row padding in floats: the widest vector any Vector API species has (2048 bits). */
    static final int PAD = 64;

    private final int out;
    private final int ld;
    private final float[] values;
    private final float[] sums;
    private final long version;

    private TransposedWeights(int out, int ld, float[] values, float[] sums, long version) {
        this.out = out;
        this.ld = ld;
        this.values = values;
        this.sums = sums;
        this.version = version;
    }

    /** W^T and the row sums of {@code W [out, k]} at {@code w[wOff + o * ldw + i]}, built for {@code version}. */
    public static TransposedWeights of(float[] w, int wOff, int ldw, int out, int k, long version) {
        if (out < 1 || k < 1) {
            throw new IllegalArgumentException("a weight matrix needs rows and columns, got " + out + " x " + k);
        }
        int ld = (out + PAD - 1) / PAD * PAD;
        float[] values = new float[Math.multiplyExact(k, ld)];
        float[] sums = new float[ld];
        for (int o = 0; o < out; o++) {
            int row = wOff + o * ldw;
            float s = 0f;
            for (int i = 0; i < k; i++) {
                float v = w[row + i];
                values[i * ld + o] = v;
                s += v;
            }
            sums[o] = s;
        }
        return new TransposedWeights(out, ld, values, sums, version);
    }

    /** Output features: the rows of W. */
    public int out() {
        return out;
    }

    /** Floats from one input feature's weights to the next's in {@link #values()}. */
    public int ld() {
        return ld;
    }

    /** {@code W[o, i]} at {@code [i * ld() + o]}; zero for {@code o >= out()}. */
    public float[] values() {
        return values;
    }

    /** {@code s_o} at {@code [o]}; zero for {@code o >= out()}. */
    public float[] sums() {
        return sums;
    }

    long version() {
        return version;
    }
}
